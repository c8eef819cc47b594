using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RiskAlign.Silo.Devices;

namespace RiskAlign.Silo.Tests;

public sealed class DeviceSlotsTests
{
    private static DeviceSlots Slots(int? cpuSlots) =>
        new(Options.Create(new DeviceOptions { CpuSlots = cpuSlots }), NullLogger<DeviceSlots>.Instance);

    [Fact]
    public async Task A_slot_is_held_until_its_lease_is_disposed()
    {
        var slots = Slots(cpuSlots: 1);
        var first = await slots.AcquireAsync(CancellationToken.None);
        var second = slots.AcquireAsync(CancellationToken.None);

        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        first.Dispose();
        var lease = await second.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(new DeviceSlot("cpu", 0), lease.Slot);
        first.Dispose(); // a second dispose gives nothing back twice
        Assert.Equal(0, slots.FreeCount);
    }

    [Fact]
    public async Task Waiting_for_a_slot_honours_cancellation()
    {
        var slots = Slots(cpuSlots: 1);
        using var held = await slots.AcquireAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slots.AcquireAsync(cancel.Token));
    }

    /// <summary>Runs on a machine without CUDA: a GPU gives slots of its own, so "no slot at all" cannot be set up there.</summary>
    public sealed class WithoutCudaFactAttribute : FactAttribute
    {
        public WithoutCudaFactAttribute()
        {
            if (TorchSharp.torch.cuda.is_available()) Skip = "CUDA is available: its GPUs give slots of their own";
        }
    }

    [WithoutCudaFact]
    public void A_silo_without_any_slot_is_refused_with_the_setting_to_change()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Slots(cpuSlots: 0));
        Assert.Contains("CpuSlots", error.Message);
    }
}
