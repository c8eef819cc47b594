using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using RiskAlign.Silo.Devices;
using RiskAlign.Silo.Grains;
using RiskAlign.Silo.Trials;

namespace RiskAlign.Silo.Hosting;

/// <summary>Adds RiskAlign's grains and services to an Orleans silo.</summary>
public static class SiloHostingExtensions
{
    /// <summary>
    /// Registers the plugin catalog, the trial runner, device slots and their publishing to the slot board, slot
    /// placement of trials, JSON transport of the
    /// Framework's records and Orleans activity propagation. Clustering and storage are the caller's choice
    /// (<see cref="Hosting.ClusterConfiguration"/>).
    /// </summary>
    public static ISiloBuilder AddRiskAlign(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Services.AddSerializer(serializer => serializer.AddJsonSerializer(Hosting.RiskAlignJson.IsCarriedAsJson, Hosting.RiskAlignJson.Options));
        silo.Services.Configure<DeviceOptions>(configuration.GetSection(DeviceOptions.Section));
        silo.Services.Configure<PluginOptions>(configuration.GetSection(PluginOptions.Section));
        silo.Services.AddSingleton<DeviceSlots>();
        silo.Services.AddSingleton<Placement.SlotBoardPublisher>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(services => services.GetRequiredService<Placement.SlotBoardPublisher>());
        silo.Services.AddPlacementDirector<Placement.SlotPlacementStrategy, Placement.SlotPlacementDirector>();
        silo.Services.AddSingleton(PluginOptions.LoadCatalog);
        silo.Services.AddSingleton<ITrialRunner, CatalogTrialRunner>();
        silo.AddActivityPropagation();
        return silo;
    }
}
