using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Dashboard;

namespace RiskAlign.Silo.Dashboard;

/// <summary>
/// <c>--dashboard PORT</c>: the Orleans Dashboard at <c>http://localhost:PORT/</c> and RiskAlign's live sweep page at
/// <c>http://localhost:PORT/riskalign</c>, served by the silo's own process on the loopback interface only (the
/// dashboard has no authentication; reach it from another machine through an SSH tunnel). Without the option nothing
/// listens.
/// </summary>
public static class LiveDashboard
{
    /// <summary>Configuration key of the port (<c>RiskAlign__Dashboard__Port</c> in the environment); the silo's
    /// <c>--dashboard PORT</c> and <c>SweepClient run --dashboard PORT</c> set it.</summary>
    public const string PortKey = "RiskAlign:Dashboard:Port";

    /// <summary>Path of the live sweep page; its JSON lies under <c>{PagePath}/api</c>.</summary>
    public const string PagePath = "/riskalign";

    /// <summary>Adds the Orleans Dashboard's silo services and a web server for it and the live page on
    /// <paramref name="port"/>; it starts and stops with the silo's host.</summary>
    public static ISiloBuilder AddRiskAlignDashboard(this ISiloBuilder silo, int port)
    {
        silo.AddDashboard();
        // The web server runs its own service container; it borrows the dashboard's services from the silo's, so
        // every dashboard request reads the one silo these services belong to.
        var dashboardServices = silo.Services
            .Where(d => d.ServiceType.Namespace?.StartsWith("Orleans.Dashboard", StringComparison.Ordinal) == true
                        && !d.ServiceType.IsGenericTypeDefinition && !d.IsKeyedService)
            .Select(d => d.ServiceType).Distinct().ToArray();
        silo.Services.AddHostedService(services => new DashboardWebServer(services, port, dashboardServices));
        return silo;
    }

    /// <summary>Why <paramref name="port"/> cannot serve the dashboard (out of range, or taken on localhost), or null
    /// when it can. Checked before the silo starts so a taken port is one line, not a host start-up failure.</summary>
    public static string? FindPortProblem(int port)
    {
        if (port is < 1 or > 65535) return $"--dashboard {port}: expected a TCP port from 1 to 65535";
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return null;
        }
        catch (SocketException e)
        {
            return $"--dashboard {port}: cannot listen on localhost:{port} ({e.Message}); choose another port";
        }
    }

    /// <summary>Reads the port from <paramref name="configuration"/> (the silo's <c>--dashboard PORT</c>, or
    /// <see cref="PortKey"/>): null when not given. Returns why it cannot be used, in one line, or null.</summary>
    public static string? ReadPort(IConfiguration configuration, out int? port)
    {
        port = null;
        var value = configuration["dashboard"] ?? configuration[PortKey];
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed)) return $"--dashboard '{value}': expected a TCP port number";
        port = parsed;
        return FindPortProblem(parsed);
    }

    /// <summary>The two addresses to tell a user.</summary>
    public static (string Dashboard, string LivePage) Urls(int port) =>
        ($"http://localhost:{port}/", $"http://localhost:{port}{PagePath}");
}
