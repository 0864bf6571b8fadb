namespace MarginGrid.Silo.Hosting;

/// <summary>
/// The <c>Cluster</c> section: the one switch between the embedded default (<c>embedded</c>: one process,
/// nothing durable) and the durable cluster (<c>durable</c>: PostgreSQL ledger, Redis substrate).
/// </summary>
public sealed class ClusterSettings
{
    public const string Section = "Cluster";

    public string Mode { get; set; } = "embedded";

    /// <summary>How long a stopping silo may take to hand its grains over (keep it under the orchestrator's grace period).</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    public bool IsDurable => Mode switch
    {
        "durable" => true,
        "embedded" => false,
        _ => throw new InvalidOperationException($"Cluster:Mode is 'embedded' or 'durable' (was '{Mode}')."),
    };

    public static ClusterSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<ClusterSettings>() ?? new ClusterSettings();
}
