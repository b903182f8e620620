using System.Net;
using System.Net.Sockets;

namespace Provenance.Testing;

/// <summary>Loopback ports for child processes and fakes in tests.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A loopback port with nothing listening on it: taken from the OS and released at once (free to bind for a child
    /// process, or a closed port to connect to).
    /// </summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
