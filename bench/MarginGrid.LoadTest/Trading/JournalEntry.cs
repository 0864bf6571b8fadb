namespace MarginGrid.LoadTest.Trading;

/// <summary>
/// One money command the load test sent: one leg of a fill (its own idempotency id), the account it went to, what
/// it carried, and the grid's answer. Resends of an unknown outcome use the same id and count in <see cref="Attempts"/>.
/// </summary>
public sealed class JournalEntry(string commandId, string account, string symbol, string side, decimal quantity, decimal price, decimal fee)
{
    public string CommandId { get; } = commandId;

    public string Account { get; } = account;

    public string Symbol { get; } = symbol;

    public string Side { get; } = side;

    public decimal Quantity { get; } = quantity;

    public decimal Price { get; } = price;

    public decimal Fee { get; } = fee;

    public CommandOutcome Outcome { get; set; } = CommandOutcome.Unknown;

    public int Attempts { get; set; }

    /// <summary>The refusal's code, or the last failure's type while unknown.</summary>
    public string? Reply { get; set; }
}
