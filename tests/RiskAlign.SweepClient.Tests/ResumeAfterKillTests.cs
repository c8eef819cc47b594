using System.Diagnostics;
using System.Text.RegularExpressions;
using RiskAlign.Framework.Comparison;
using RiskAlign.Framework.Plugins;

namespace RiskAlign.SweepClient.Tests;

/// <summary>
/// A real <c>SweepClient run</c> process killed with SIGKILL mid-sweep, then resumed from its output folder: its
/// embedded cluster kept the sweep on disk, so the finished trials are kept, the unfinished ones run again, and the
/// folder ends with every trial once, with the numbers an undisturbed run of the same spec and seeds gives.
/// </summary>
[Collection("Console")]
public sealed class ResumeAfterKillTests
{
    // One trial at a time, one torch thread, so both runs compute exactly the same way; enough steps per trial that the
    // client sees one trial finish before the last one does, also on an idle machine.
    private static string Spec(TempFolder folder) => SmallSyntheticSpec.Write(folder, "killed", maxConcurrent: 1, [0.1, 0.3, 1.0, 3.0], steps: 40);

    private static readonly string[] Settings = ["--cpu-slots", "1", "--torch-threads", "1"];

    [Fact]
    public async Task A_killed_run_resumes_from_its_folder_and_writes_every_trial_once_with_the_undisturbed_numbers()
    {
        using var folder = new TempFolder();
        var spec = Spec(folder);
        var plugins = PluginCatalog.LoadDefault().ConfigPath;
        var killed = Path.Combine(folder.Path, "killed");

        // The child runs the CLI as a user would; killed once at least one trial finished and before all did.
        var client = typeof(Commands.CliApp).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { client, "run", spec, "--out", killed, "--plugins", plugins }.Concat(Settings)) start.ArgumentList.Add(arg);
        string? sweepId = null;
        using (var child = Process.Start(start)!)
        {
            var output = new System.Text.StringBuilder();
            child.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            child.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            try
            {
                while (FinishedRows(killed) < 1)
                {
                    Assert.False(child.HasExited, $"the run ended before it could be killed: {output}");
                    Assert.True(DateTime.UtcNow < deadline, $"no trial finished in time: {output}");
                    await Task.Delay(100);
                }
            }
            finally
            {
                child.Kill(); // SIGKILL: no shutdown, no flush, as a crash or `kill -9`
                await child.WaitForExitAsync();
            }
            lock (output) sweepId = Regex.Match(output.ToString(), @"Sweep id ([A-Za-z0-9._-]+)").Groups[1].Value;
            Assert.True(FinishedRows(killed) < 4, "the run finished every trial before it was killed; nothing left to resume");
        }
        Assert.StartsWith("killed-", sweepId);

        var (exit, stdout, error) = await CliInvocation.InvokeAsync("resume", sweepId!, "--out", killed);
        Assert.True(exit == 0, error + stdout);
        Assert.Contains("trials finished and kept", stdout);

        var undisturbed = Path.Combine(folder.Path, "undisturbed");
        (exit, _, error) = await CliInvocation.InvokeAsync(["run", spec, "--out", undisturbed, "--plugins", plugins, .. Settings]);
        Assert.True(exit == 0, error);

        var resumed = SweepFolder.Load(killed).Trials;
        var reference = SweepFolder.Load(undisturbed).Trials;
        Assert.Equal([0, 1, 2, 3], resumed.Select(t => t.Index)); // every trial once
        Assert.All(resumed, t => Assert.Equal("Completed", t.Status));
        foreach (var (a, b) in resumed.Zip(reference))
        {
            Assert.True(double.IsFinite(a.Drift) && double.IsFinite(a.Reward), $"trial {a.Index}: {a.Drift}, {a.Reward}");
            // Same seeds, same computation. Not asserted bit for bit here: torch's thread count is process-wide, and the
            // resumed and undisturbed runs share this test process with test classes that run in parallel and set their
            // own, which can change a float32 reduction's order (1 ulp). ClusterKillTests compares separate processes
            // bit for bit.
            Assert.Equal(b.Drift, a.Drift, 1e-6 * Math.Max(1, Math.Abs(b.Drift)));
            Assert.Equal(b.Reward, a.Reward, 1e-6 * Math.Max(1, Math.Abs(b.Reward)));
        }
        // trace.jsonl, written from the spans the cluster stored, holds one trial span per trial, old and re-run ones alike.
        Assert.Equal(4, File.ReadLines(Path.Combine(killed, "trace.jsonl")).Count(l => l.Contains("\"name\":\"riskalign.trial\"")));
        Assert.Equal(4, TraceTimings.Read(Path.Combine(killed, "trace.jsonl")).Count);
    }

    [Fact]
    public async Task Resume_of_a_folder_without_saved_state_names_the_missing_file()
    {
        using var folder = new TempFolder();
        var (exit, _, error) = await CliInvocation.InvokeAsync("resume", "some-id", "--out", folder.Path);
        Assert.Equal(2, exit);
        Assert.Contains(Path.Combine(folder.Path, "state", "embedded.json"), error);
    }

    private static int FinishedRows(string folder)
    {
        var csv = Path.Combine(folder, "trials.csv");
        try { return File.Exists(csv) ? File.ReadAllLines(csv).Length - 1 : 0; }
        catch (IOException) { return 0; } // being rewritten
    }
}
