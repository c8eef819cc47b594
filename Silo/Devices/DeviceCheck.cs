using TorchSharp;

namespace RiskAlign.Silo.Devices;

/// <summary>Checks a device a user names (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>) against what this process has.</summary>
public static class DeviceCheck
{
    /// <summary>The device, or an <see cref="ArgumentException"/> naming <paramref name="field"/> when it is not
    /// a device name or names a CUDA device this machine does not have.</summary>
    public static torch.Device Resolve(string name, string field)
    {
        torch.Device device;
        try { device = new torch.Device(name); }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException($"{field} {name}: expected cpu, cuda or cuda:N.");
        }
        if (device.type != DeviceType.CUDA) return device;
        int count = torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        if (count == 0)
            throw new ArgumentException($"{field} {name}: this machine has no CUDA device torch can use (CUDA available: no; run `SweepClient devices`).");
        if (device.index >= count)
            throw new ArgumentException($"{field} {name}: this machine has {count} CUDA device(s), cuda:0 to cuda:{count - 1}.");
        return device;
    }
}
