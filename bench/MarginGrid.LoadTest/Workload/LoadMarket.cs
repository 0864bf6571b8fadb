using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Markets;

namespace MarginGrid.LoadTest.Workload;

/// <summary>One market of the workload: its spec (sent to the grid), the same as a domain definition (for the audit), and where its mark starts.</summary>
public sealed record LoadMarket(string Symbol, MarketSpec Spec, MarketDefinition Definition, decimal StartPrice);
