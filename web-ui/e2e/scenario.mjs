// The data both the mock server and the real end-to-end run use: one service, `api`, whose CPU
// profile has a clear top function, and two periods to compare. Between them `Sha256.digest`
// regresses strongly (significant) while `Logger.log` moves by a hair (noise, drawn muted).
// Values are samples; at the agent's 100 Hz a sample is 10 ms of CPU. JsonParser.parse has the
// most self time in either period.

export const SERVICE = 'api';
export const OTHER_SERVICE = 'worker';
export const TOP_FUNCTION = 'com.acme.api.JsonParser.parse';
export const REGRESSED = 'com.acme.api.Sha256.digest';
export const NOISE = 'com.acme.api.Logger.log';

const common = [
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.JsonParser.parse;com.acme.api.JsonParser.readObject', 900],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.JsonParser.parse;com.acme.api.JsonParser.readString', 1700],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.JsonParser.parse', 2600],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.UserService.load;com.acme.db.Pool.query', 1500],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.UserService.load;java.util.HashMap.get', 400],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.Render.toJson', 1200],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;io.netty.channel.Socket.write', 600],
  ['java.lang.Thread.run;jdk.internal.misc.Unsafe.park', 100],
  ['GC Thread;G1 Young Generation;G1ParScanThreadState.trim_queue', 300],
];

/** Folded stacks of the baseline period. */
export const BASELINE = [
  ...common,
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.Auth.check;com.acme.api.Sha256.digest', 200],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.Logger.log', 500],
];

/** Folded stacks of the comparison period: the regression and the noise. */
export const COMPARISON = [
  ...common,
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.Auth.check;com.acme.api.Sha256.digest', 2400],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.Logger.log', 600],
];

/** Allocations of `api` over the whole hour (bytes), so Correlate has two categories to relate. */
export const ALLOC = [
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.JsonParser.parse;com.acme.api.JsonParser.readString', 600_000_000],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.JsonParser.parse', 300_000_000],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.Render.toJson', 250_000_000],
  ['java.lang.Thread.run;io.netty.channel.EventLoop.run;com.acme.api.Router.handle;com.acme.api.UserService.load;com.acme.db.Pool.query', 120_000_000],
];

/** A second service, so picking a service means something. */
export const WORKER = [
  ['main;com.acme.worker.Queue.poll;com.acme.worker.Job.run;java.util.zip.Deflater.deflate', 3000],
  ['main;com.acme.worker.Queue.poll;com.acme.worker.Job.run;com.acme.worker.Job.save', 1000],
];

export const toFolded = (stacks) => stacks.map(([s, v]) => `${s} ${v}`).join('\n') + '\n';
