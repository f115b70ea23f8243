// The page's entry: the moderation console at /console, the chat everywhere else (the server
// serves index.html for any path without a dot). Each screen is a chunk of its own, so the
// chat does not load the console and the console opens no IRC connection.
import { isConsolePath } from './console/route';

if (isConsolePath(location.pathname)) void import('./console/main');
else void import('./chat');
