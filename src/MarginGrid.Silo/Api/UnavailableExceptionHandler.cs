using MarginGrid.Grains.Persistence;
using Microsoft.AspNetCore.Diagnostics;
using StackExchange.Redis;

namespace MarginGrid.Silo.Api;

/// <summary>
/// Turns an outage (the ledger database, the Redis substrate, a silo that died mid-call, an append that lost the
/// race to another activation of its stream) into
/// <c>503</c> with a stable code and <c>Retry-After</c>, instead of a bare 500: the command was not
/// acknowledged, and retrying it with the same idempotency id is safe.
/// </summary>
public sealed class UnavailableExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (Classify(exception, clientGone: httpContext.RequestAborted.IsCancellationRequested) is not { } code)
        {
            return false;
        }

        httpContext.Response.Headers.RetryAfter = "1";
        await Problems.Problem(StatusCodes.Status503ServiceUnavailable, code,
            $"{exception.GetBaseException().Message} Nothing was acknowledged; retry with the same id.").ExecuteAsync(httpContext);
        return true;
    }

    private static string? Classify(Exception? error, bool clientGone)
    {
        for (; error is not null; error = error.InnerException)
        {
            switch (error)
            {
                case EventLogUnavailableException:
                    return "ledger_unavailable";
                case EventLogConflictException:
                    // Another activation of the stream appended first (a silo joining or leaving moves grains):
                    // this append was refused whole, and the retry reaches a fresh activation that reloads.
                    return "ledger_conflict";
                case RedisException:
                    return "substrate_unavailable";
                case SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or Orleans.Runtime.Messaging.ConnectionFailedException:
                    return "grid_unavailable";
                case OperationCanceledException when !clientGone:
                    // Cancelled by the runtime, not by the client: an activation cancelled while its silo left, or
                    // a message that expired before placement could find a live silo (seen after a kill -9).
                    return "grid_unavailable";
            }
        }

        return null;
    }
}
