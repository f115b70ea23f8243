// The page's entry: the moderation console at /console, the public notice form at /report,
// the transparency figures at /transparency, the chat everywhere else (the server serves
// index.html for any path without a dot). Each screen is a chunk of its own, so the chat does
// not load the console, and the console and the public pages open no IRC connection.
import { isConsolePath } from './console/route';
import { publicPage } from './public/route';

const page = publicPage(location.pathname);
if (isConsolePath(location.pathname)) void import('./console/main');
else if (page === 'report') void import('./public/main-report');
else if (page === 'transparency') void import('./public/main-transparency');
else void import('./chat');
