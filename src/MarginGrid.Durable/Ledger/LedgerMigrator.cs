using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// Applies the ledger's migrations to every partition as the silo starts, before any grain can read or
/// append: a silo joins the cluster only with the schema it was built for, and only on the partition map
/// the databases recorded (<see cref="LedgerPartitionMap"/>). Waits for PostgreSQL up to the start-up timeout.
/// </summary>
public sealed class LedgerMigrator(LedgerDataSources ledger, IOptions<LedgerOptions> options, ILogger<LedgerMigrator> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(nameof(LedgerMigrator), ServiceLifecycleStage.RuntimeInitialize, Migrate);
    }

    private async Task Migrate(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(options.Value.StartupTimeoutSeconds);
        var count = ledger.Partitions.Count;
        for (var index = 0; index < count; index++)
        {
            await Migrate(ledger.Partitions[index], index, count, deadline, cancellationToken);
        }
    }

    private async Task Migrate(NpgsqlDataSource dataSource, int index, int count, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var applied = await LedgerSchema.Migrate(dataSource, cancellationToken);
                await LedgerPartitionMap.Check(dataSource, index, count, cancellationToken);
                logger.LogInformation("Ledger partition {Index} of {Count} ready ({Applied} migrations applied now, {Known} known)", index, count, applied, LedgerSchema.Migrations.Count);
                return;
            }
            catch (NpgsqlException error) when (DateTimeOffset.UtcNow < deadline && error is not PostgresException { SqlState: not null and not ("57P03" or "53300") })
            {
                logger.LogWarning("Waiting for the ledger database: {Reason}", error.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }
}
