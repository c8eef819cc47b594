using System.Net;
using System.Net.Sockets;

namespace RiskAlign.Tests.Shared;

/// <summary>A loopback TCP port nothing listens on right now, for silos, gateways and dashboards under test.</summary>
internal static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
