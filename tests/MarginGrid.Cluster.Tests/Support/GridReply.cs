using System.Net;
using System.Text.Json;

namespace MarginGrid.Cluster.Tests.Support;

/// <summary>
/// A request's definite answer, with what it took: how many times it was sent (the first attempts ended in an
/// outage: connection lost, 503, timeout), what the first attempt met, and whether the answer was a replay of
/// an earlier application (<c>Idempotent-Replayed: true</c>).
/// </summary>
public sealed record GridReply(HttpStatusCode Status, JsonElement Body, bool Replayed, int Attempts, string FirstAttempt)
{
    public void Deconstruct(out HttpStatusCode status, out JsonElement body)
    {
        status = Status;
        body = Body;
    }
}
