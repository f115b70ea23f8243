// The page's entry: the moderation console at /console, the public notice form at /report,
// the transparency figures at /transparency, the chat everywhere else (the server serves
// index.html for any path without a dot). Each screen is a chunk of its own, so the chat does
// not load the console, and the console and the public pages open no IRC connection.
import { isConsolePath } from './console/route';
import { publicPage } from './public/route';

// One loader per screen, each its own function: written as an if/else chain the minifier
// merges the imports into one call, and Vite then preloads only the last chunk's CSS.
const screens = {
  console: () => import('./console/main'),
  report: () => import('./public/main-report'),
  transparency: () => import('./public/main-transparency'),
  chat: () => import('./chat'),
};

const screen: keyof typeof screens = isConsolePath(location.pathname) ? 'console' : (publicPage(location.pathname) ?? 'chat');
void screens[screen]();
