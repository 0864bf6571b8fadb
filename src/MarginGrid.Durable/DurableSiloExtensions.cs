using MarginGrid.Durable.Ledger;
using MarginGrid.Durable.Liquidations;
using MarginGrid.Grains;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Liquidations;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using StackExchange.Redis;

namespace MarginGrid.Durable;

/// <summary>
/// The durable cluster: money (every account and fund stream, and the shard registries) in PostgreSQL,
/// over one or more ledger partitions (<see cref="LedgerPartitionSettings"/>), with the grain state that
/// decides money (<see cref="StreamNames.MoneyStorage"/>); membership, the other grains' state and reminders
/// on Redis.
/// </summary>
public static class DurableSiloExtensions
{
    public static ISiloBuilder AddDurableGrid(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var redis = Required(configuration, "Redis");
        var ledger = LedgerPartitionSettings.ConnectionStrings(configuration);

        silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(redis));
        silo.AddRedisGrainStorage(StreamNames.Storage, o => o.ConfigurationOptions = RedisOptions(redis));
        silo.AddRedisGrainStorage(StreamNames.PubSubStore, o => o.ConfigurationOptions = RedisOptions(redis));
        silo.UseRedisReminderService(o => o.ConfigurationOptions = RedisOptions(redis));

        var services = silo.Services;
        services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.Section);
        services.AddSingleton(sp => new LedgerDataSources([.. ledger.Select(connection => DataSource(connection, sp.GetRequiredService<IOptions<LedgerOptions>>().Value))]));

        // Partition 0 is the ledger's home database, for tables that are not streams.
        services.AddSingleton(sp => sp.GetRequiredService<LedgerDataSources>().Partitions[0]);
        services.AddSingleton(sp => PartitionedEventLog.Over(
            sp.GetRequiredService<LedgerDataSources>().Partitions.Select(source => ActivatorUtilities.CreateInstance<PostgresEventLog>(sp, source)).ToList()));
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<PartitionedEventLog>());
        services.AddSingleton<ILedgerReader>(sp => sp.GetRequiredService<PartitionedEventLog>());
        // Liquidation records go to the home database (partition 0), whatever the ledger's partitions.
        services.AddSingleton<ILiquidationArchive, PostgresLiquidationArchive>();
        // Running liquidations live there as well, one row each, written per step.
        services.AddSingleton<ILiquidationWorkStore, PostgresLiquidationWorkStore>();
        // Ids that key money come from there too, so that no loss of Redis state can hand one out twice.
        services.AddSingleton<IIdBlockSource, PostgresIdBlockSource>();
        // So does the grain state that decides money (fund reservations): Redis under
        // everysec, or a failover to a lagging replica, can take back a write that was acknowledged.
        services.AddGrainStorage(StreamNames.MoneyStorage, (sp, _) => ActivatorUtilities.CreateInstance<PostgresGrainStorage>(sp,
            sp.GetRequiredService<NpgsqlDataSource>(), new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>())));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LedgerMigrator>();
        return silo.AddGridCore();
    }

    /// <summary>
    /// Keeps reconnecting instead of failing when Redis is down at start or restarts later: a Redis restart
    /// must be an outage of the substrate, not the end of the silo.
    /// </summary>
    public static ConfigurationOptions RedisOptions(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ConnectRetry = Math.Max(options.ConnectRetry, 5);
        return options;
    }

    private static NpgsqlDataSource DataSource(string connectionString, LedgerOptions options)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.CommandTimeout = options.CommandTimeoutSeconds;
        builder.ConnectionStringBuilder.ApplicationName ??= "margingrid";
        // The ledger sends a handful of statement shapes thousands of times a second: prepared once per
        // connection, PostgreSQL stops parsing and planning each of them again (half of a batch's time, measured).
        // A connection string that sets its own value keeps it.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0)
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
            builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        }

        // The ledger never changes session state, so a connection going back to the pool needs no reset round trip.
        builder.ConnectionStringBuilder.NoResetOnClose = true;

        return builder.Build();
    }

    private static string Required(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The durable cluster needs ConnectionStrings:{name} (environment: ConnectionStrings__{name}).");
}
