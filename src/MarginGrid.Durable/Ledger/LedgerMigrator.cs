using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace MarginGrid.Durable.Ledger;

/// <summary>
/// Applies the ledger's migrations as the silo starts, before any grain can read or append: a silo joins
/// the cluster only with the schema it was built for. Waits for PostgreSQL up to the start-up timeout.
/// </summary>
public sealed class LedgerMigrator(NpgsqlDataSource dataSource, IOptions<LedgerOptions> options, ILogger<LedgerMigrator> logger)
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
        while (true)
        {
            try
            {
                var applied = await LedgerSchema.Migrate(dataSource, cancellationToken);
                logger.LogInformation("Ledger schema ready ({Applied} migrations applied now, {Known} known)", applied, LedgerSchema.Migrations.Count);
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
