package tasklist

/*
#include <tasklist.h>
*/
import "C"

import (
	"encoding/json"
	"time"
)

// Options configures a Client. The zero value of every field means the
// library default; only BaseURL is required. At most one of OAuth, Cookie
// and BearerToken may be set (none means no authentication).
type Options struct {
	// BaseURL of Tasklist, e.g. "http://localhost:8080" or
	// "https://bru-2.tasklist.camunda.io/<cluster-id>".
	BaseURL string

	// OAuth selects OAuth 2.0 client credentials.
	OAuth *OAuth
	// Cookie selects Tasklist's cookie session login.
	Cookie *Cookie
	// BearerToken is a fixed token obtained elsewhere; it is never
	// refreshed, so an expired one gives ErrUnauthorized.
	BearerToken string

	// ConnectTimeout bounds connecting (default 10 s). RequestTimeout bounds
	// one call including its retries, token fetch excepted (default 60 s).
	// They are the only way to stop a call that is already running: the
	// library cannot be interrupted by a context. Values are rounded up to
	// whole milliseconds.
	ConnectTimeout time.Duration
	RequestTimeout time.Duration

	// CAFile is a PEM file of CA certificates to trust in addition to the
	// built-in Mozilla roots (for clusters with a private CA). It is read
	// by New.
	CAFile string
	// CAPEM is PEM text with one or several CA certificates to trust in
	// addition to the built-in roots and CAFile. It is checked by New
	// (ErrInvalidArgument when it holds no certificate).
	CAPEM string

	// ClientCertificate presents a client certificate (mutual TLS) to
	// Tasklist and to the token endpoint, from PEM text.
	// ClientCertificateFiles does the same with PEM files, read by New (so
	// a rotated certificate is picked up by the next New). Set at most one.
	ClientCertificate      *ClientCertificate
	ClientCertificateFiles *ClientCertificateFiles

	// Proxy sends every request (Tasklist and token endpoint) through a
	// proxy: "http://[user:password@]host:port" (CONNECT tunnels for https
	// targets), "https://...", "socks4://..." or "socks5://...". An unusable
	// URL gives ErrInvalidArgument. Proxy wins over ProxyFromEnv; its
	// password never appears in messages, logs or DescribeOptions.
	Proxy string
	// ProxyFromEnv opts in to the proxy environment variables
	// (https_proxy/HTTPS_PROXY for an https BaseURL, http_proxy/HTTP_PROXY
	// for http, then all_proxy/ALL_PROXY, with no_proxy/NO_PROXY; lower case
	// wins), read by New. Off by default: a library should not silently
	// follow its host's environment.
	ProxyFromEnv bool

	// MaxRetries is how often a failed request may be retried; nil keeps the
	// default (2), Retries(0) disables retries.
	MaxRetries *int

	// MaxResponseBytes is the largest answer accepted (default 64 MiB); a
	// larger one gives ErrBodyTooLarge. 0 keeps the default.
	MaxResponseBytes int64
}

// OAuth holds OAuth 2.0 client-credentials settings.
type OAuth struct {
	TokenURL     string // e.g. "https://login.cloud.camunda.io/oauth/token"
	ClientID     string
	ClientSecret string
	// Audience sent with the token request; "" means "tasklist.camunda.io"
	// (Camunda SaaS). Set OmitAudience for servers that add it themselves
	// (Keycloak, Identity).
	Audience     string
	OmitAudience bool
	// Scope, if not empty, is sent as the scope parameter (Entra ID needs
	// e.g. "api://<app>/.default").
	Scope string
	// JSONBody sends the token request as JSON (the Camunda 8.4 SaaS guide)
	// instead of the standard form encoding.
	JSONBody bool
	// BasicAuth sends the client id and secret in an HTTP Basic header
	// (client_secret_basic) instead of the request body (client_secret_post).
	BasicAuth bool
}

// Cookie holds the credentials of Tasklist's cookie session login.
type Cookie struct {
	Username string
	Password string
	// LoginPath below BaseURL; "" means "/api/login" (Tasklist up to 8.7);
	// later versions use "/login".
	LoginPath string
}

// ClientCertificate is a client certificate as PEM text.
type ClientCertificate struct {
	// Chain is the certificate followed by any intermediates.
	Chain string
	// Key is its unencrypted private key (PKCS#8, PKCS#1 or SEC1 PEM). The
	// library copies it and wipes its copy when the client is closed; the
	// Go string cannot be wiped, so keep it no longer than needed.
	Key string
}

// ClientCertificateFiles names the PEM files of a client certificate.
type ClientCertificateFiles struct {
	ChainFile string // the certificate followed by any intermediates
	KeyFile   string // its unencrypted private key
}

// Retries returns a pointer to n, for Options.MaxRetries.
func Retries(n int) *int { return &n }

// cOptions owns a C options object while New builds a client from it.
type cOptions struct {
	ptr *C.tasklist_options
	// strs holds the C copies of the settings; the setters copy what they
	// keep, so these are freed together with the options.
	strs cStrings
}

func (o *cOptions) free() {
	C.tasklist_options_free(o.ptr)
	o.ptr = nil
	o.strs.free()
}

// check turns a setter's status into an error. Setters have no err_out, so
// the message names the setting.
func check(status C.tasklist_status, setting string) error {
	if status == C.TASKLIST_OK {
		return nil
	}
	code := Code(status)
	return &Error{Code: code, Message: "invalid option " + setting}
}

// buildOptions translates opts into a new C options object, after checking
// that the loaded library speaks this package's ABI. The caller frees it
// (also on error).
func buildOptions(opts *Options, o *cOptions) error {
	if err := checkABI(); err != nil {
		return err
	}
	if status := C.tasklist_options_new(&o.ptr); status != C.TASKLIST_OK {
		return check(status, "(allocation)")
	}
	if opts.BaseURL == "" {
		return usageError("Options.BaseURL is required")
	}
	s, err := o.strs.add("BaseURL", opts.BaseURL)
	if err != nil {
		return err
	}
	if err := check(C.tasklist_options_set_base_url(o.ptr, s), "BaseURL"); err != nil {
		return err
	}
	if err := applyAuth(opts, o); err != nil {
		return err
	}
	if err := applyLimits(opts, o); err != nil {
		return err
	}
	return applyTransport(opts, o)
}

func applyAuth(opts *Options, o *cOptions) error {
	chosen := 0
	for _, set := range []bool{opts.OAuth != nil, opts.Cookie != nil, opts.BearerToken != ""} {
		if set {
			chosen++
		}
	}
	// The C API lets the last setter win; in a struct there is no order, so
	// two methods are a mistake worth reporting.
	if chosen > 1 {
		return usageError("set only one of Options.OAuth, Options.Cookie and Options.BearerToken")
	}
	switch {
	case opts.OAuth != nil:
		return applyOAuth(opts.OAuth, o)
	case opts.Cookie != nil:
		return applyCookie(opts.Cookie, o)
	case opts.BearerToken != "":
		tok, err := o.strs.add("BearerToken", opts.BearerToken)
		if err != nil {
			return err
		}
		return check(C.tasklist_options_set_bearer_token(o.ptr, tok), "BearerToken")
	}
	return nil
}

func applyOAuth(a *OAuth, o *cOptions) error {
	tokenURL, err := o.strs.add("OAuth.TokenURL", a.TokenURL)
	if err != nil {
		return err
	}
	id, err := o.strs.add("OAuth.ClientID", a.ClientID)
	if err != nil {
		return err
	}
	secret, err := o.strs.add("OAuth.ClientSecret", a.ClientSecret)
	if err != nil {
		return err
	}
	var audience *C.char // NULL: the library's default audience
	switch {
	case a.OmitAudience:
		if audience, err = o.strs.add("OAuth.Audience", ""); err != nil {
			return err
		}
	case a.Audience != "":
		if audience, err = o.strs.add("OAuth.Audience", a.Audience); err != nil {
			return err
		}
	}
	if err := check(C.tasklist_options_set_oauth(o.ptr, tokenURL, id, secret, audience),
		"OAuth (token URL, client id and secret must be set)"); err != nil {
		return err
	}
	if a.Scope != "" {
		scope, err := o.strs.add("OAuth.Scope", a.Scope)
		if err != nil {
			return err
		}
		if err := check(C.tasklist_options_set_oauth_scope(o.ptr, scope), "OAuth.Scope"); err != nil {
			return err
		}
	}
	if a.BasicAuth {
		if err := check(C.tasklist_options_set_oauth_client_auth(o.ptr, C.TASKLIST_CLIENT_AUTH_BASIC), "OAuth.BasicAuth"); err != nil {
			return err
		}
	}
	if a.JSONBody {
		return check(C.tasklist_options_set_token_format(o.ptr, C.TASKLIST_TOKEN_FORMAT_JSON), "OAuth.JSONBody")
	}
	return nil
}

func applyCookie(c *Cookie, o *cOptions) error {
	user, err := o.strs.add("Cookie.Username", c.Username)
	if err != nil {
		return err
	}
	password, err := o.strs.add("Cookie.Password", c.Password)
	if err != nil {
		return err
	}
	if err := check(C.tasklist_options_set_cookie_login(o.ptr, user, password), "Cookie (username must be set)"); err != nil {
		return err
	}
	if c.LoginPath != "" {
		path, err := o.strs.add("Cookie.LoginPath", c.LoginPath)
		if err != nil {
			return err
		}
		return check(C.tasklist_options_set_login_path(o.ptr, path), "Cookie.LoginPath (must start with /)")
	}
	return nil
}

func applyLimits(opts *Options, o *cOptions) error {
	connectMS, err := millis("ConnectTimeout", opts.ConnectTimeout)
	if err != nil {
		return err
	}
	requestMS, err := millis("RequestTimeout", opts.RequestTimeout)
	if err != nil {
		return err
	}
	// 0 keeps the library's default for that timeout.
	if err := check(C.tasklist_options_set_timeouts(o.ptr, C.uint64_t(connectMS), C.uint64_t(requestMS)), "timeouts"); err != nil {
		return err
	}
	if opts.CAFile != "" {
		path, err := o.strs.add("CAFile", opts.CAFile)
		if err != nil {
			return err
		}
		if err := check(C.tasklist_options_set_ca_file(o.ptr, path), "CAFile"); err != nil {
			return err
		}
	}
	if opts.MaxRetries != nil {
		n := *opts.MaxRetries
		if n < 0 || int64(n) > int64(^uint32(0)) {
			return usageError("Options.MaxRetries must be between 0 and 2^32-1, got %d", n)
		}
		if err := check(C.tasklist_options_set_max_retries(o.ptr, C.uint32_t(n)), "MaxRetries"); err != nil {
			return err
		}
	}
	switch {
	case opts.MaxResponseBytes < 0:
		return usageError("Options.MaxResponseBytes must not be negative")
	case opts.MaxResponseBytes > 0:
		return check(C.tasklist_options_set_max_response_bytes(o.ptr, C.uint64_t(opts.MaxResponseBytes)), "MaxResponseBytes")
	}
	return nil
}

// applyTransport sets the TLS material and the proxy. Empty fields keep the
// library's defaults (no extra CA, no client certificate, no proxy).
func applyTransport(opts *Options, o *cOptions) error {
	if opts.CAPEM != "" {
		pem, err := o.strs.add("CAPEM", opts.CAPEM)
		if err != nil {
			return err
		}
		if err := check(C.tasklist_options_set_ca_pem(o.ptr, pem), "CAPEM (no PEM certificate in the text)"); err != nil {
			return err
		}
	}
	switch cert, files := opts.ClientCertificate, opts.ClientCertificateFiles; {
	case cert != nil && files != nil:
		return usageError("set only one of Options.ClientCertificate and Options.ClientCertificateFiles")
	case cert != nil:
		chain, err := o.strs.add("ClientCertificate.Chain", cert.Chain)
		if err != nil {
			return err
		}
		key, err := o.strs.add("ClientCertificate.Key", cert.Key)
		if err != nil {
			return err
		}
		if err := check(C.tasklist_options_set_client_certificate(o.ptr, chain, key),
			"ClientCertificate (needs a PEM certificate and an unencrypted PEM private key)"); err != nil {
			return err
		}
	case files != nil:
		chain, err := o.strs.add("ClientCertificateFiles.ChainFile", files.ChainFile)
		if err != nil {
			return err
		}
		key, err := o.strs.add("ClientCertificateFiles.KeyFile", files.KeyFile)
		if err != nil {
			return err
		}
		if err := check(C.tasklist_options_set_client_certificate_files(o.ptr, chain, key),
			"ClientCertificateFiles (both paths must be set)"); err != nil {
			return err
		}
	}
	if opts.Proxy != "" {
		proxy, err := o.strs.add("Proxy", opts.Proxy)
		if err != nil {
			return err
		}
		// The message must not repeat the URL: it may hold a password.
		if err := check(C.tasklist_options_set_proxy(o.ptr, proxy),
			"Proxy (use scheme://[user:password@]host:port with http, https, socks4 or socks5)"); err != nil {
			return err
		}
	}
	if opts.ProxyFromEnv {
		if err := check(C.tasklist_options_set_proxy_from_env(o.ptr, 1), "ProxyFromEnv"); err != nil {
			return err
		}
	}
	return nil
}

// DescribeOptions returns the configuration opts would give a client, as
// the library's JSON: one entry per setting, {"value": ..., "source": ...},
// where source is "default" or "set". Secrets (client secret, password,
// bearer token, private key text, proxy password) are shown as "***".
// Nothing is sent and no client is created; files (CAFile, client
// certificate files) are not read, so they can still fail in New.
func DescribeOptions(opts Options) (json.RawMessage, error) {
	var o cOptions
	defer o.free()
	if err := buildOptions(&opts, &o); err != nil {
		return nil, err
	}
	return describe(&o)
}

// DescribeEnv is DescribeOptions for the configuration NewFromEnv would
// use: source then names the environment variable a value came from, which
// answers "which variable won?". Do not call it while another goroutine
// changes the environment.
func DescribeEnv() (json.RawMessage, error) {
	var o cOptions
	defer o.free()
	if err := envOptions(&o); err != nil {
		return nil, err
	}
	return describe(&o)
}

// envOptions fills o from the environment (tasklist_options_from_env); the
// caller frees o either way.
func envOptions(o *cOptions) error {
	if err := checkABI(); err != nil {
		return err
	}
	var cerr *C.tasklist_error
	if status := C.tasklist_options_from_env(&o.ptr, &cerr); status != C.TASKLIST_OK {
		return takeError(status, cerr)
	}
	return nil
}

func describe(o *cOptions) (json.RawMessage, error) {
	var out *C.char
	var cerr *C.tasklist_error
	if status := C.tasklist_options_describe(o.ptr, &out, &cerr); status != C.TASKLIST_OK {
		C.tasklist_string_free(out) // NULL on failure; freeing NULL is a no-op
		return nil, takeError(status, cerr)
	}
	return takeString(out), nil
}

// millis converts a timeout for the C API, where 0 means "default": a
// positive duration below one millisecond becomes 1 ms rather than 0.
func millis(name string, d time.Duration) (uint64, error) {
	if d < 0 {
		return 0, usageError("Options.%s must not be negative", name)
	}
	ms := uint64((d + time.Millisecond - 1) / time.Millisecond)
	return ms, nil
}

// newClientFromOptions creates the C client; the C options are only read.
func newClientFromOptions(o *cOptions) (*C.tasklist_client, error) {
	var ptr *C.tasklist_client
	var cerr *C.tasklist_error
	status := C.tasklist_client_new(o.ptr, &ptr, &cerr)
	if status != C.TASKLIST_OK {
		return nil, takeError(status, cerr)
	}
	return ptr, nil
}
