// Runs before the app's bundle (index.html lists it first), while the phone waits for that bundle to download.
import { startEarlyRequests } from './lib/earlyRequests';
import { viewerTimeZone } from './lib/time';

startEarlyRequests(window.location);
// The first Intl call loads the browser's locale and zone data: ~35 ms of main thread, done here in the wait
// rather than in the middle of the app's first render (issue 14).
viewerTimeZone();
