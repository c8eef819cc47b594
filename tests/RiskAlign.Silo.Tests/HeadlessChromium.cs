using System.Diagnostics;

namespace RiskAlign.Silo.Tests;

/// <summary>
/// Runs headless Chromium once against a page, with a fresh profile, and kills it (and every process it started)
/// when it has not finished in time. <c>--virtual-time-budget</c> lets the page's scripts fetch and draw before the
/// DOM is dumped or the screenshot taken.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The DOM after the page's scripts ran.</summary>
    public static async Task<string> DumpDomAsync(Uri page) => await RunAsync(page, "--dump-dom");

    /// <summary>A PNG screenshot of <paramref name="width"/> × <paramref name="height"/> pixels.</summary>
    public static async Task<byte[]> ScreenshotAsync(Uri page, int width, int height)
    {
        var file = Path.Combine(Path.GetTempPath(), $"riskalign-page-{Guid.NewGuid():N}.png");
        try
        {
            await RunAsync(page, $"--screenshot={file}", $"--window-size={width},{height}", "--hide-scrollbars");
            return await File.ReadAllBytesAsync(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string> RunAsync(Uri page, params string[] arguments)
    {
        var profile = Directory.CreateTempSubdirectory("riskalign-chromium-");
        var start = new ProcessStartInfo(ChromiumFactAttribute.Executable ?? throw new InvalidOperationException("chromium is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     $"--user-data-dir={profile.FullName}", "--virtual-time-budget=5000", .. arguments, page.ToString()])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try { await process.WaitForExitAsync(timeout.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"chromium did not finish within {Timeout.TotalSeconds} s."); }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"chromium exited with {process.ExitCode}: {await stderr}");
            return await stdout;
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            try { profile.Delete(recursive: true); }
            catch (IOException) { } // a child that still exits may hold a file a moment longer; the folder is temporary
        }
    }
}
