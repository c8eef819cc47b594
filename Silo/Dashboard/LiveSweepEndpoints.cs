using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using RiskAlign.Silo.Grains;

namespace RiskAlign.Silo.Dashboard;

/// <summary>
/// The live sweep page and the two small JSON documents it polls:
/// <c>/riskalign</c> (the page; <c>?sweep=ID</c> picks a sweep, default the newest),
/// <c>/riskalign/api/sweeps</c> (the registry's sweeps, oldest first) and
/// <c>/riskalign/api/sweeps/{id}</c> (<see cref="LiveSweepView"/> of one sweep; 404 for an id the cluster never started).
/// </summary>
internal static class LiveSweepEndpoints
{
    private const string PageResource = "RiskAlign.Silo.Dashboard.LiveSweepPage.html";

    public static void MapLiveSweepPage(this IEndpointRouteBuilder endpoints)
    {
        var page = ReadPage();
        var group = endpoints.MapGroup(LiveDashboard.PagePath);
        group.MapGet("", () => Results.Content(page, "text/html; charset=utf-8"));
        group.MapGet("/api/sweeps", async (IClusterClient client) =>
            Results.Json(await client.GetGrain<ISweepRegistryGrain>(ISweepRegistryGrain.Key).GetAll()));
        group.MapGet("/api/sweeps/{id}", async (string id, IClusterClient client) =>
        {
            var snapshot = await client.GetGrain<ISweepGrain>(id).GetSnapshot();
            return snapshot.Status == SweepStatus.NotStarted
                ? Results.NotFound(new { error = $"no sweep '{id}' on this cluster" })
                : Results.Json(LiveSweepView.From(snapshot));
        });
    }

    private static string ReadPage()
    {
        using var stream = typeof(LiveSweepEndpoints).Assembly.GetManifestResourceStream(PageResource)
            ?? throw new InvalidOperationException($"Resource {PageResource} is missing from the silo assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
