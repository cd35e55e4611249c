// Screenshot of one URL for a look: node e2e/shot.mjs URL out.png [dark]
import { launch } from './browser.mjs';
const [url, out, theme] = process.argv.slice(2);
const { context, close } = await launch({ viewport: { width: 1400, height: 800 }, colorScheme: theme === 'dark' ? 'dark' : 'light' });
const page = await context.newPage();
await page.goto(url);
await page.waitForTimeout(1500);
await page.screenshot({ path: out, fullPage: true });
await close();
