using MarginGrid.Abstractions.Common;

namespace MarginGrid.Silo.Api;

/// <summary>RFC 9457 problem documents with the grid's stable <c>code</c>.</summary>
public static class Problems
{
    public static IResult Of(CommandError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var status = error.Kind switch
        {
            "not_found" => StatusCodes.Status404NotFound,
            "conflict" => StatusCodes.Status409Conflict,
            "rule" => StatusCodes.Status422UnprocessableEntity,
            "unavailable" => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status400BadRequest,
        };
        return Problem(status, error.Code, error.Detail);
    }

    /// <summary>The item under which a problem's code is left for the API metrics.</summary>
    public const string CodeItem = "margingrid.problem.code";

    /// <summary>Longest detail a problem carries: a message may quote a value the client sent, and never echoes it whole.</summary>
    public const int MaxDetailLength = 300;

    public static IResult Problem(int status, string code, string detail) =>
        new CodedProblem(code, Results.Problem(detail: Short(detail), statusCode: status, title: Title(status), extensions: new Dictionary<string, object?> { ["code"] = code }));

    public static string Short(string detail) =>
        detail is { Length: > MaxDetailLength } ? $"{detail[..MaxDetailLength]}…" : detail;

    public static IResult BadRequest(string code, string detail) => Problem(StatusCodes.Status400BadRequest, code, detail);

    public static IResult NotFound(string code, string detail) => Problem(StatusCodes.Status404NotFound, code, detail);

    /// <summary>
    /// The code of a problem the framework wrote itself (no route, wrong method, a failed binding, a body over
    /// Kestrel's limit): every 4xx and 5xx carries a stable code, whoever wrote it.
    /// </summary>
    public static string FallbackCode(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        413 => "body_too_large",
        415 => "unsupported_media_type",
        429 => "too_many_requests",
        431 => "headers_too_large",
        >= 500 => "internal_error",
        _ => $"http_{status}",
    };

    /// <summary>The value on success (with the replay marked in a header), or the problem.</summary>
    public static IResult From<T>(HttpContext http, CommandResult<T> result, int successStatus = StatusCodes.Status200OK)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(result);
        if (result.Error is { } error)
        {
            if (error.Kind == "unavailable")
            {
                // Retryable: nothing was applied, and the same id may be sent again.
                http.Response.Headers.RetryAfter = "1";
            }

            return Of(error);
        }

        if (result.Replayed)
        {
            http.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return Results.Json(result.Value, GridJson.Options, statusCode: successStatus);
    }

    private static string Title(int status) => status switch
    {
        400 => "Invalid request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Body too large",
        415 => "Unsupported media type",
        422 => "Refused by the margin rules",
        429 => "Too many requests",
        503 => "Unavailable; nothing was applied, retry with the same id",
        _ => "Error",
    };
}
