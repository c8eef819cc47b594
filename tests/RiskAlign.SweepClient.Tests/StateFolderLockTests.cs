using RiskAlign.Framework.Plugins;
using RiskAlign.SweepClient.Running;

namespace RiskAlign.SweepClient.Tests;

/// <summary>
/// One embedded cluster per output folder: a resume of a folder that another run still holds is refused with one line
/// and exit code 2 before a second silo starts on the same state (that a killed run leaves no lock behind is shown by
/// <see cref="ResumeAfterKillTests"/>, which resumes the folder of a run killed with SIGKILL).
/// </summary>
[Collection("Console")]
public sealed class StateFolderLockTests
{
    [Fact]
    public void A_held_folder_cannot_be_taken_again_until_it_is_released()
    {
        using var folder = new TempFolder();
        var outDir = new DirectoryInfo(folder.Path);

        var first = StateFolderLock.Take(outDir);
        var refused = Assert.Throws<InputCheckException>(() => StateFolderLock.Take(outDir));
        Assert.Contains("another `run` or `resume` of this folder is still running", refused.Message);
        first.Dispose();
        StateFolderLock.Take(outDir).Dispose();
    }

    [Fact]
    public async Task Resume_and_run_resume_of_a_folder_in_use_are_refused_before_anything_starts()
    {
        using var folder = new TempFolder();
        var outDir = new DirectoryInfo(Path.Combine(folder.Path, "out"));
        new SavedEmbeddedCluster(PluginCatalog.LoadDefault().ConfigPath, null, 1, 1).Save(outDir);
        var spec = folder.File("held.json", """
            {"name": "held", "task": {"name": "synthetic"}, "arms": [{"loss": {"name": "dpo"}, "uncertainty_set": {"name": "nominal"}}]}
            """);

        using (StateFolderLock.Take(outDir))
        {
            var (exit, _, error) = await CliInvocation.InvokeAsync("resume", "held-1", "--out", outDir.FullName);
            Assert.Equal(2, exit);
            Assert.Contains($"{outDir.FullName}: another `run` or `resume` of this folder is still running", error);

            (exit, _, error) = await CliInvocation.InvokeAsync("run", spec, "--resume", "held-1", "--out", outDir.FullName);
            Assert.Equal(2, exit);
            Assert.Contains("another `run` or `resume` of this folder is still running", error);
        }
    }
}
