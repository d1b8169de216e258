//! `tasklist-emulator`: runs the emulator until killed (or, with
//! --exit-on-stdin-eof, until its stdin closes, so test harnesses that
//! spawn it never leave it behind).

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use tasklist_emulator::{Config, Emulator, TokenErrorStyle, User};

const HELP: &str = "\
tasklist-emulator: a local, in-memory Camunda 8 server (Tasklist v1, v2 API; 8.4 to 8.10)

USAGE: tasklist-emulator [OPTIONS]

Prints the base URL (http://HOST:PORT) as the first line on stdout once it
accepts connections; logs go to stderr.

OPTIONS:
  --addr HOST:PORT          Listen address [default: 127.0.0.1:8080]; port 0 picks a free port
  --camunda-version V       Which Camunda to be: 8.4, 8.5, 8.6, 8.7, 8.8, 8.9 or 8.10 [default: 8.8]
  --with-operate            Also serve Operate's /v1/process-definitions/search on 8.4-8.7
  --no-csrf                 Turn the version's CSRF protection (8.5+, masked tokens) off
  --login-csrf              POST on the login path needs the CSRF token of a prior GET on it
  --unprotected-api         8.8+: serve API calls without credentials (as C8 Run does)
  --csrf                    Require X-CSRF-TOKEN on non-GET requests of session users with a
                            plain token (header = cookie), on any version; wins over the above
  --tasks N                 Add N generated CREATED tasks to the demo data [default: 0]
  --admin                   Enable the /__emulator/* admin API (counters, log, faults, reset)
  --client ID:SECRET        OAuth client (repeatable; replaces the default tasklist-client:tasklist-secret)
  --audience AUD            Audience of issued tokens and required of external ones [default: tasklist.camunda.io]
  --v2-audience AUD         8.8+: the token endpoint also issues tokens for this audience (the v2
                            API's) [default: zeebe.camunda.io]
  --token-lifetime SECS     Lifetime of issued tokens [default: 300]
  --token-path PATH         Path of the token endpoint [default: /oauth/token]
  --user NAME:PASSWORD[:ro] Login user (repeatable; replaces demo:demo and view:view:ro); :ro = read only
  --session-timeout SECS    Idle timeout of login sessions [default: 1800]
  --issuer URL              External issuer whose RS256 bearer tokens are accepted (iss must match)
  --jwks-url URL            JWKS of that issuer (http://) [default: <issuer>/jwks]
  --delay-ms N              Delay before every /v1 and /v2 answer [default: 0]
  --export-delay-ms N       v2 reads see a change N ms after the command made it [default: 0]
  --export-jitter-ms N      Each change's export delay gets a random extra of up to N ms [default: 0]
  --request-timeout-ms N    How long a v2 command waits for a blocking task listener (admin
                            listener faults) before it answers 504 [default: 10000]
  --token-errors STYLE      Wrong client credentials: rfc6749 (401 invalid_client) or saas
                            (401 access_denied) [default: rfc6749]
  --exit-on-stdin-eof       Exit when standard input reaches end of file
  -h, --help                Print this help
";

struct Options {
    config: Config,
    exit_on_stdin_eof: bool,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Options>, String> {
    let mut config = Config::default();
    let mut exit_on_stdin_eof = false;
    let (mut clients, mut users) = (Vec::new(), Vec::new());
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, text: String| -> Result<u64, String> {
            text.parse()
                .map_err(|_| format!("{name}: not a number: {text}"))
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--addr" => {
                let text = value("--addr")?;
                config.addr = text.parse::<SocketAddr>().map_err(|_| {
                    format!("--addr: not HOST:PORT (an IP address and port): {text}")
                })?;
            }
            "--tasks" => config.generated_tasks = number("--tasks", value("--tasks")?)? as usize,
            "--csrf" => config.csrf = true,
            "--no-csrf" => config.version_csrf = false,
            "--with-operate" => config.with_operate = true,
            "--login-csrf" => config.login_requires_csrf = true,
            "--unprotected-api" => config.unprotected_api = true,
            "--camunda-version" => {
                config.camunda_version = value("--camunda-version")?
                    .parse()
                    .map_err(|e| format!("--camunda-version: {e}"))?
            }
            "--admin" => config.admin = true,
            "--client" => {
                let text = value("--client")?;
                let (id, secret) = text.split_once(':').ok_or("--client: expected ID:SECRET")?;
                clients.push((id.to_string(), secret.to_string()));
            }
            "--audience" => config.audience = value("--audience")?,
            "--v2-audience" => config.v2_audience = value("--v2-audience")?,
            "--token-lifetime" => {
                config.token_lifetime_secs = number("--token-lifetime", value("--token-lifetime")?)?
            }
            "--token-path" => {
                let path = value("--token-path")?;
                config.token_path = if path.starts_with('/') {
                    path
                } else {
                    format!("/{path}")
                };
            }
            "--user" => {
                let text = value("--user")?;
                let parts: Vec<&str> = text.split(':').collect();
                let user = match parts.as_slice() {
                    [name, password] => User::new(name, password, true),
                    [name, password, "ro"] => User::new(name, password, false),
                    _ => return Err("--user: expected NAME:PASSWORD or NAME:PASSWORD:ro".into()),
                };
                users.push(user);
            }
            "--session-timeout" => {
                config.session_timeout_secs =
                    number("--session-timeout", value("--session-timeout")?)?
            }
            "--issuer" => config.issuer = Some(value("--issuer")?),
            "--jwks-url" => config.jwks_url = Some(value("--jwks-url")?),
            "--delay-ms" => config.delay_ms = number("--delay-ms", value("--delay-ms")?)?,
            "--export-delay-ms" => {
                config.export_delay_ms = number("--export-delay-ms", value("--export-delay-ms")?)?
            }
            "--export-jitter-ms" => {
                config.export_jitter_ms =
                    number("--export-jitter-ms", value("--export-jitter-ms")?)?
            }
            "--request-timeout-ms" => {
                config.request_timeout_ms =
                    number("--request-timeout-ms", value("--request-timeout-ms")?)?
            }
            "--token-errors" => {
                config.token_error_style = match value("--token-errors")?.as_str() {
                    "rfc6749" => TokenErrorStyle::Rfc6749,
                    "saas" => TokenErrorStyle::Saas,
                    other => {
                        return Err(format!(
                            "--token-errors: expected rfc6749 or saas, got {other}"
                        ))
                    }
                }
            }
            "--exit-on-stdin-eof" => exit_on_stdin_eof = true,
            other => return Err(format!("unknown option: {other} (see --help)")),
        }
    }
    if !clients.is_empty() {
        config.clients = clients;
    }
    if !users.is_empty() {
        config.users = users;
    }
    Ok(Some(Options {
        config,
        exit_on_stdin_eof,
    }))
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(Some(options)) => options,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("tasklist-emulator: {message}");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::start(options.config.clone()) {
        Ok(emulator) => emulator,
        Err(e) => {
            eprintln!(
                "tasklist-emulator: cannot listen on {}: {e}",
                options.config.addr
            );
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{}", emulator.base_url());
    let _ = stdout.flush();
    let c = &options.config;
    eprintln!(
        "tasklist-emulator: Camunda {} listening on {} (token endpoint {}, csrf {:?}, admin {}, issuer {})",
        c.camunda_version,
        emulator.base_url(),
        c.token_path,
        c.csrf_mode(),
        if c.admin { "on" } else { "off" },
        c.issuer.as_deref().unwrap_or("none"),
    );
    if options.exit_on_stdin_eof {
        let mut sink = [0u8; 256];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        emulator.shutdown();
        return ExitCode::SUCCESS;
    }
    // SIGINT/SIGTERM end the process with the default disposition.
    loop {
        std::thread::park();
    }
}
