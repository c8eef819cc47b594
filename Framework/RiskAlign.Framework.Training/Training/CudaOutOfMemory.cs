using System.Globalization;
using System.Text.RegularExpressions;

namespace RiskAlign.Framework.Training;

/// <summary>
/// What libtorch's CUDA caching allocator says when an allocation fails, read from its message: the request, the free
/// memory and the capacity. Both wordings are understood — PyTorch ≥ 2.1 (<c>Tried to allocate 2.00 GiB. GPU 0 has a
/// total capacity of 139.72 GiB of which 1.06 GiB is free. ...</c>) and earlier (<c>Tried to allocate 20.00 MiB (GPU 0;
/// 15.78 GiB total capacity; 14.56 GiB already allocated; 4.12 MiB free; ...)</c>). Sizes are as libtorch prints them
/// (<c>bytes</c>, <c>KiB</c>, <c>MiB</c>, <c>GiB</c>, two decimals), so the bytes are exact to that rounding.
/// </summary>
public sealed partial record CudaOutOfMemory(long RequestedBytes, long FreeBytes, long? TotalBytes, int? Gpu)
{
    private const string Size = @"([0-9]+(?:\.[0-9]+)?) (bytes|KiB|MiB|GiB|TiB)";

    /// <summary>Reads <paramref name="message"/>; false when it is not a CUDA out-of-memory error or lacks the request or the free memory.</summary>
    public static bool TryParse(string message, out CudaOutOfMemory result)
    {
        result = null!;
        if (!message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)) return false;
        var requested = Requested().Match(message);
        var free = FreeNew().Match(message) is { Success: true } m ? m : FreeOld().Match(message);
        if (!requested.Success || !free.Success) return false;
        var total = TotalNew().Match(message) is { Success: true } t ? t : TotalOld().Match(message);
        var gpu = GpuIndex().Match(message);
        result = new CudaOutOfMemory(Bytes(requested), Bytes(free), total.Success ? Bytes(total) : null,
            gpu.Success ? int.Parse(gpu.Groups[1].Value, CultureInfo.InvariantCulture) : null);
        return true;
    }

    /// <summary>One line for the trial's error: how much it asked for, how much was free, and what to change.</summary>
    public string Describe()
    {
        string where = Gpu is { } g ? " on GPU " + g.ToString(CultureInfo.InvariantCulture) : "";
        string of = TotalBytes is { } total ? " (of " + Format(total) + ")" : "";
        return $"Out of device memory{where}: the trial asked for {Format(RequestedBytes)} with {Format(FreeBytes)} free{of}. " +
            "Use a smaller training.batch_size or shorter sequences, precision bf16, or fewer trials per device.";
    }

    /// <summary>Bytes in libtorch's style (binary units, two decimals).</summary>
    public static string Format(long bytes)
    {
        string[] units = ["KiB", "MiB", "GiB", "TiB"];
        if (bytes < 1024) return string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return string.Create(CultureInfo.InvariantCulture, $"{value:F2} {units[unit]}");
    }

    private static long Bytes(Match match)
    {
        double value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        int power = match.Groups[2].Value switch { "KiB" => 1, "MiB" => 2, "GiB" => 3, "TiB" => 4, _ => 0 };
        return (long)Math.Round(value * Math.Pow(1024, power));
    }

    [GeneratedRegex("Tried to allocate " + Size)] private static partial Regex Requested();
    [GeneratedRegex("of which " + Size + " is free")] private static partial Regex FreeNew();
    [GeneratedRegex("; " + Size + " free")] private static partial Regex FreeOld();
    [GeneratedRegex("total capacity of " + Size)] private static partial Regex TotalNew();
    [GeneratedRegex(Size + " total capacity")] private static partial Regex TotalOld();
    [GeneratedRegex(@"GPU ([0-9]+)")] private static partial Regex GpuIndex();
}
