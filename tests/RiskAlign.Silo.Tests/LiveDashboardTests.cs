using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RiskAlign.Silo.Dashboard;
using RiskAlign.Silo.Grains;
using RiskAlign.Framework.Trials;

namespace RiskAlign.Silo.Tests;

/// <summary>The silo's <c>--dashboard</c> web server, read over HTTP: Orleans' dashboard and the live page's JSON.</summary>
public sealed class LiveDashboardTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    [Fact]
    public async Task The_port_serves_the_Orleans_Dashboard_and_its_counters()
    {
        await using var silo = await DashboardSweep.StartAsync();

        var index = await Http.GetAsync(new Uri(silo.BaseAddress, "/"));
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("<title>Orleans Dashboard</title>", await index.Content.ReadAsStringAsync());
        // Counters come from the silo's dashboard grain: proves the web server reaches the silo's dashboard services. The
        // grain collects silo statistics on its own timer, so a fresh silo may report 0 hosts for its first moments.
        int hosts = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); hosts != 1 && DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            using var counters = JsonDocument.Parse(await Http.GetStringAsync(new Uri(silo.BaseAddress, "/DashboardCounters")));
            hosts = counters.RootElement.GetProperty("totalActiveHostCount").GetInt32();
        }
        Assert.Equal(1, hosts);
    }

    [Fact]
    public async Task The_live_page_lists_the_registered_sweeps_and_draws_the_finished_trials_of_one()
    {
        await using var silo = await DashboardSweep.StartAsync();

        var page = await Http.GetAsync(new Uri(silo.BaseAddress, LiveDashboard.PagePath));
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg id=\"scatter\"", await page.Content.ReadAsStringAsync());

        using var sweeps = JsonDocument.Parse(await Http.GetStringAsync(new Uri(silo.BaseAddress, $"{LiveDashboard.PagePath}/api/sweeps")));
        Assert.Equal([DashboardSweep.SweepId], sweeps.RootElement.EnumerateArray().Select(e => e.GetProperty("sweepId").GetString()));

        using var view = JsonDocument.Parse(await Http.GetStringAsync(new Uri(silo.BaseAddress, $"{LiveDashboard.PagePath}/api/sweeps/{DashboardSweep.SweepId}")));
        var root = view.RootElement;
        Assert.Equal("Completed", root.GetProperty("status").GetString());
        Assert.Equal(6, root.GetProperty("finished").GetInt32());
        Assert.Equal("kl/true", root.GetProperty("driftMetric").GetString());
        // The diverged trial 5 is not drawn; its arm keeps its colour with zero points.
        var points = root.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3, 4], points.Select(p => p.GetProperty("index").GetInt32()));
        Assert.Equal(DashboardSweep.Front, points.Where(p => p.GetProperty("onFront").GetBoolean()).Select(p => p.GetProperty("index").GetInt32()));
        Assert.Equal(0.7, points[3].GetProperty("reward").GetDouble());
        var arms = root.GetProperty("arms").EnumerateArray().Select(a => (a.GetProperty("name").GetString(), a.GetProperty("points").GetInt32()));
        Assert.Equal([("dpo", 3), ("ra-dpo2", 2), ("wdpo", 0)], arms);
    }

    [Fact]
    public async Task An_unknown_sweep_id_is_404()
    {
        await using var silo = await DashboardSweep.StartAsync();

        var response = await Http.GetAsync(new Uri(silo.BaseAddress, $"{LiveDashboard.PagePath}/api/sweeps/no-such-sweep"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no sweep 'no-such-sweep'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Without_a_port_no_web_server_is_added()
    {
        await using var silo = await DashboardSweep.StartAsync(withDashboard: false);

        Assert.DoesNotContain(silo.Services.GetServices<IHostedService>(), s => s is DashboardWebServer);
        await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetAsync(silo.BaseAddress));
    }

    [Fact]
    public void A_taken_or_out_of_range_port_is_one_line_naming_the_option()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;

        Assert.StartsWith($"--dashboard {port}: cannot listen on localhost:{port}", LiveDashboard.FindPortProblem(port));
        Assert.Equal("--dashboard 70000: expected a TCP port from 1 to 65535", LiveDashboard.FindPortProblem(70000));
    }
}

/// <summary>The live page's view of a snapshot, from hand-made snapshots.</summary>
public sealed class LiveSweepViewTests
{
    [Fact]
    public void The_page_palette_is_the_one_pareto_png_uses()
    {
        var scottPlot = new ScottPlot.Palettes.Category10();
        Assert.Equal(
            Enumerable.Range(0, LiveSweepView.Category10.Length).Select(i => scottPlot.GetColor(i).ToHex().ToLowerInvariant()),
            LiveSweepView.Category10);
    }

    [Fact]
    public void Arms_take_Category10_colours_in_trial_order_before_any_result()
    {
        var trials = Enumerable.Range(0, 3).Select(i => FakeTrials.Trial("v", i, 0.1) with { Arm = i == 1 ? "kldpo" : "dpo" });
        var snapshot = new SweepSnapshot
        {
            SweepId = "v", Name = "view", Status = SweepStatus.Running,
            Trials = [.. trials.Select(t => new TrialSnapshot { Trial = t, Status = t.Index == 0 ? TrialStatus.Running : TrialStatus.Pending })],
        };

        var view = LiveSweepView.From(snapshot);

        // Colours as ScottPlot's Category10 (ArmPalette) gives them to the first and second arm.
        Assert.Equal([("dpo", "#1f77b4"), ("kldpo", "#ff7f0e")], view.Arms.Select(a => (a.Name, a.Colour)));
        Assert.Empty(view.Points);
        Assert.Null(view.Hypervolume);
        Assert.Equal((0, 1), (view.Finished, view.Running));
        Assert.Equal(("drift", "reward"), (view.DriftMetric, view.RewardMetric));
    }
}
