namespace MarginGrid.Grains.Liquidations;

/// <summary>What the audit projection has counted, and which records, so a redelivered event counts once.</summary>
[GenerateSerializer]
public sealed class AuditState
{
    [Id(0)] public Dictionary<string, long> ByStatus { get; set; } = new(StringComparer.Ordinal);
    [Id(1)] public Dictionary<string, long> ByStep { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public decimal Fees { get; set; }
    [Id(3)] public decimal FundPayouts { get; set; }
    [Id(4)] public decimal Deficits { get; set; }
    [Id(5)] public HashSet<string> Seen { get; set; } = new(StringComparer.Ordinal);
}
