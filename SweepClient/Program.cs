using RiskAlign.Framework.Models.TorchRuntime;
using RiskAlign.SweepClient.Commands;

// A TorchBackend=system build carries no libtorch: load the user's own before anything touches TorchSharp.
try { LibTorchLocator.EnsureLoaded(); }
catch (LibTorchNotFoundException e) { return UserErrors.Report(e); }

return await CliApp.Build().Parse(args).InvokeAsync();
