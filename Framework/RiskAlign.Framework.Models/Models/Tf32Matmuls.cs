namespace RiskAlign.Framework.Models;

/// <summary>
/// TF32 float32 matmuls on CUDA (<c>torch.backends.cuda.matmul.allow_tf32 = True</c> in PyTorch), for the
/// <c>tf32</c> training precision. The switch is process-wide in libtorch: while a tf32 trial runs, other float32
/// trials of the same process also get TF32 matmuls. On the CPU it does nothing (no TF32 there): tf32 is then fp32.
/// </summary>
public static class Tf32Matmuls
{
    private static readonly object Gate = new();
    private static int _holders;
    private static bool _before;

    /// <summary>Turns TF32 matmuls on for <paramref name="device"/> (if CUDA and <paramref name="enabled"/>) until disposed.</summary>
    public static IDisposable Use(bool enabled, Device device)
    {
        if (!enabled || device.type != DeviceType.CUDA) return new Release(false);
        lock (Gate)
        {
            if (_holders++ == 0)
            {
                _before = torch.backends.cuda.matmul.allow_tf32;
                torch.backends.cuda.matmul.allow_tf32 = true;
            }
        }
        return new Release(true);
    }

    private sealed class Release(bool held) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (!held || Interlocked.Exchange(ref _done, 1) != 0) return;
            lock (Gate)
            {
                if (--_holders == 0) torch.backends.cuda.matmul.allow_tf32 = _before;
            }
        }
    }
}
