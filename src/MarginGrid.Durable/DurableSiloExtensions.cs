using MarginGrid.Durable.Ledger;
using MarginGrid.Durable.Liquidations;
using MarginGrid.Grains;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace MarginGrid.Durable;

/// <summary>
/// The durable cluster: money (every account and fund stream, and the shard registries) in PostgreSQL;
/// membership, the non-money grains' state and reminders on Redis.
/// </summary>
public static class DurableSiloExtensions
{
    public static ISiloBuilder AddDurableGrid(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(configuration);
        var redis = Required(configuration, "Redis");
        var ledger = Required(configuration, "Ledger");

        silo.UseRedisClustering(o => o.ConfigurationOptions = RedisOptions(redis));
        silo.AddRedisGrainStorage(StreamNames.Storage, o => o.ConfigurationOptions = RedisOptions(redis));
        silo.AddRedisGrainStorage(StreamNames.PubSubStore, o => o.ConfigurationOptions = RedisOptions(redis));
        silo.UseRedisReminderService(o => o.ConfigurationOptions = RedisOptions(redis));

        var services = silo.Services;
        services.AddOptions<LedgerOptions>().BindConfiguration(LedgerOptions.Section);
        services.AddSingleton(sp =>
        {
            var builder = new NpgsqlDataSourceBuilder(ledger);
            builder.ConnectionStringBuilder.CommandTimeout = sp.GetRequiredService<IOptions<LedgerOptions>>().Value.CommandTimeoutSeconds;
            builder.ConnectionStringBuilder.ApplicationName ??= "margingrid";
            return builder.Build();
        });
        services.AddSingleton<PostgresEventLog>();
        services.AddSingleton<IEventLog>(sp => sp.GetRequiredService<PostgresEventLog>());
        services.AddSingleton<ILedgerReader>(sp => sp.GetRequiredService<PostgresEventLog>());
        // Liquidation records go to the home database (ConnectionStrings:Ledger), whatever the ledger's partitions.
        services.AddSingleton<ILiquidationArchive, PostgresLiquidationArchive>();
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

    private static string Required(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"The durable cluster needs ConnectionStrings:{name} (environment: ConnectionStrings__{name}).");
}
