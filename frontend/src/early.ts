// Runs before the app's bundle (index.html lists it first): starts the page's data requests (issue 14).
import { startEarlyRequests } from './lib/earlyRequests';

startEarlyRequests(window.location);
