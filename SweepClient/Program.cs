using System.CommandLine;
using RiskAlign.SweepClient.Commands;

return await CliApp.Build().Parse(args).InvokeAsync();
