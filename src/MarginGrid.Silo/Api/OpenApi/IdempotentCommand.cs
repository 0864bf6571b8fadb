namespace MarginGrid.Silo.Api.OpenApi;

/// <summary>Marks a command whose id makes a repeat safe: its answer may carry <c>Idempotent-Replayed: true</c>.</summary>
public sealed class IdempotentCommand
{
    public static IdempotentCommand Instance { get; } = new();

    private IdempotentCommand()
    {
    }
}
