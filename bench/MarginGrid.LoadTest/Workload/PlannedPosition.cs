using MarginGrid.Abstractions.Accounts;

namespace MarginGrid.LoadTest.Workload;

/// <summary>One position an account opens at seeding: a fill at the market's start price.</summary>
public sealed record PlannedPosition(LoadMarket Market, OrderSide Side, decimal Quantity, bool Isolated, int Leverage, decimal InitialMargin);
