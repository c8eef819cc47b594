using System.Globalization;
using Microsoft.Extensions.Options;
using RiskAlign.Framework.Models.TorchRuntime;
using RiskAlign.Silo.Devices;
using TorchSharp;

namespace RiskAlign.SweepClient.Commands;

/// <summary>
/// <c>devices</c>: which libtorch this process loaded (folder, version), whether CUDA is available, each CUDA
/// device with its memory, and the slots an embedded or standalone silo would offer with the given settings.
/// </summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var cpuSlots = new Option<int?>("--cpu-slots") { Description = "CPU slots as the silo would be given them (default: half the cores without a GPU, none with one)" };
        var slotsPerGpu = new Option<int>("--slots-per-gpu") { Description = "trials at once on each CUDA device", DefaultValueFactory = _ => 1 };
        var command = new Command("devices", "Show the libtorch this build loaded, CUDA availability, each device's memory, and the slots a silo would offer.") { cpuSlots, slotsPerGpu };
        command.SetAction(parse =>
        {
            var loaded = LibTorchLocator.Loaded;
            Console.WriteLine(loaded is null
                ? $"libtorch: bundled with this build (TorchSharp {torch.__version__})"
                : $"libtorch: {loaded.Folder} (version {loaded.Version}, found through {loaded.Source})");
            bool cuda = torch.cuda.is_available();
            int gpus = cuda ? torch.cuda.device_count() : 0;
            Console.WriteLine($"CUDA: {(cuda ? $"available, {gpus} device(s)" : "not available")}");
            Console.WriteLine($"cpu: {Environment.ProcessorCount} cores, torch threads {torch.get_num_threads()}; {MklCpuDispatch.Apply()}");
            if (gpus > 0)
            {
                var memory = NvmlMemory.TryList();
                for (int g = 0; g < gpus; g++)
                {
                    var info = memory?.FirstOrDefault(d => d.Index == g);
                    Console.WriteLine(info is null
                        ? $"cuda:{g}: memory unknown (NVML not available)"
                        : $"cuda:{g}: {info.Name}, {Gib(info.TotalBytes)} GiB total, {Gib(info.FreeBytes)} GiB free");
                }
            }
            try
            {
                var slots = DeviceSlots.Plan(new DeviceOptions { CpuSlots = parse.GetValue(cpuSlots), SlotsPerGpu = parse.GetValue(slotsPerGpu) }, gpus);
                Console.WriteLine($"slots: {string.Join(", ", slots)}");
                return 0;
            }
            catch (OptionsValidationException e)
            {
                return UserErrors.Report(e);
            }
        });
        return command;
    }

    private static string Gib(long bytes) => (bytes / (1024.0 * 1024 * 1024)).ToString("F1", CultureInfo.InvariantCulture);
}
