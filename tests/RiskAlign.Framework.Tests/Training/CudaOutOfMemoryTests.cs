namespace RiskAlign.Framework.Tests.Training;

/// <summary>
/// The messages are libtorch's own wording, copied from c10/cuda/CUDACachingAllocator.cpp: PyTorch ≥ 2.1
/// ("GPU 0 has a total capacity of ... of which ... is free") and 1.x ("(GPU 0; ... total capacity; ... free; ...)");
/// the expected bytes are the printed sizes times their binary unit.
/// </summary>
public sealed class CudaOutOfMemoryTests
{
    private const string Torch2Message =
        "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 139.72 GiB of which 1.06 GiB is free. " +
        "Process 4242 has 138.65 GiB memory in use. Of the allocated memory 136.10 GiB is allocated by PyTorch, and 1.95 GiB " +
        "is reserved by PyTorch but unallocated. If reserved but unallocated memory is large try setting " +
        "PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True to avoid fragmentation.\nException raised from malloc at ...";

    private const string Torch1Message =
        "CUDA out of memory. Tried to allocate 20.00 MiB (GPU 1; 15.78 GiB total capacity; 14.56 GiB already allocated; " +
        "4.12 MiB free; 14.71 GiB reserved in total by PyTorch) If reserved memory is >> allocated memory try setting max_split_size_mb";

    [Fact]
    public void Reads_the_request_free_and_total_memory_of_a_torch_2_message()
    {
        Assert.True(CudaOutOfMemory.TryParse(Torch2Message, out var oom));
        Assert.Equal(2L << 30, oom.RequestedBytes);
        Assert.Equal((long)Math.Round(1.06 * (1L << 30)), oom.FreeBytes);
        Assert.Equal((long)Math.Round(139.72 * (1L << 30)), oom.TotalBytes);
        Assert.Equal(0, oom.Gpu);
        Assert.Equal("Out of device memory on GPU 0: the trial asked for 2.00 GiB with 1.06 GiB free (of 139.72 GiB). " +
            "Use a smaller training.batch_size or shorter sequences, precision bf16, or fewer trials per device.", oom.Describe());
    }

    [Fact]
    public void Reads_the_older_wording()
    {
        Assert.True(CudaOutOfMemory.TryParse(Torch1Message, out var oom));
        Assert.Equal(20L << 20, oom.RequestedBytes);
        Assert.Equal((long)Math.Round(4.12 * (1L << 20)), oom.FreeBytes);
        Assert.Equal((long)Math.Round(15.78 * (1L << 30)), oom.TotalBytes);
        Assert.Equal(1, oom.Gpu);
        Assert.StartsWith("Out of device memory on GPU 1: the trial asked for 20.00 MiB with 4.12 MiB free (of 15.78 GiB).", oom.Describe());
    }

    [Theory]
    [InlineData("Expected all tensors to be on the same device")]
    [InlineData("DefaultCPUAllocator: can't allocate memory: you tried to allocate 1048576 bytes.")]
    [InlineData("CUDA out of memory.")] // no sizes: left to the generic message
    public void Other_errors_are_not_read_as_device_out_of_memory(string message) =>
        Assert.False(CudaOutOfMemory.TryParse(message, out _));
}
