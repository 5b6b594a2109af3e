import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/styles.css';

// As a transition the first render runs in slices that yield to the browser every few milliseconds,
// instead of one long task that blocks input while the first screen is built (issue 14: Lighthouse TBT).
startTransition(() => {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
