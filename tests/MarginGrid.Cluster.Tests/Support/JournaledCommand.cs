namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// One money-moving command the fault-test client sent, as the client knows it: its id and amount, what its
/// first attempt met, its final (definite) answer once it has one, how many times it was sent, and whether the
/// final answer said it had been applied before (<c>Idempotent-Replayed</c>).
/// </summary>
public sealed record JournaledCommand(string Account, string Id, decimal Amount, string FirstReply, string? FinalReply, bool Replayed, int Sends)
{
    /// <summary>Sent more than once, and the answer said the first time had already applied it.</summary>
    public bool ResendReplayed => Sends > 1 && Replayed;
}
