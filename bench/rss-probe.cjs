// Preloaded into the measured process: records its peak RSS (worker threads included) at exit.
process.on("exit", () => {
  require("node:fs").writeFileSync(process.env.RSS_PROBE_OUT, String(process.resourceUsage().maxRSS * 1024));
});
