package tasklist

/*
#include <tasklist.h>
*/
import "C"

import (
	"encoding/json"
	"strings"
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
	// Cookie selects the cookie session login (/api/login up to 8.7, /login
	// from 8.8, found by itself).
	Cookie *Cookie
	// Basic selects HTTP Basic authentication (Camunda 8.8+ Self-Managed):
	// the credentials go with every request, there is no session.
	Basic *Basic
	// BearerToken is a fixed token obtained elsewhere; it is never
	// refreshed, so an expired one gives ErrUnauthorized.
	BearerToken string
	// TenantID is the tenant a v2 process start acts in when its request
	// names none (the v2 SDKs' default tenant); "" leaves the server's.
	TenantID string

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

// Basic holds the credentials of HTTP Basic authentication.
type Basic struct {
	Username string
	Password string
}

// Cookie holds the credentials of the cookie session login.
type Cookie struct {
	Username string
	Password string
	// LoginPath below BaseURL; "" finds it at the first login: "/api/login"
	// (Tasklist up to 8.7) or "/login" (8.8 and later).
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
	// strs holds the C copy of the settings JSON; the library copies what it
	// keeps, so it is freed together with the options.
	strs cStrings
}

func (o *cOptions) free() {
	C.tasklist_options_free(o.ptr)
	o.ptr = nil
	o.strs.free()
}

// buildOptions translates opts into a new C options object, after checking
// that the loaded library speaks this package's ABI. The caller frees it
// (also on error).
//
// Every setting goes to the library in one tasklist_options_set_json call,
// under the library's own names, so the library judges every value and a
// refusal carries its message, which names the setting. Only what the
// struct itself decides is checked here: BaseURL present, one
// authentication method, one kind of client certificate.
func buildOptions(opts *Options, o *cOptions) error {
	if err := checkABI(); err != nil {
		return err
	}
	if status := C.tasklist_options_new(&o.ptr); status != C.TASKLIST_OK {
		return takeError(status, nil)
	}
	if opts.BaseURL == "" {
		return usageError("Options.BaseURL is required")
	}
	settings, err := settingsOf(opts)
	if err != nil {
		return err
	}
	text, err := json.Marshal(settings)
	if err != nil {
		return usageError("the options cannot be encoded as JSON: %v", err)
	}
	js, err := o.strs.add("the options JSON", string(text))
	if err != nil {
		return err
	}
	var cerr *C.tasklist_error
	if status := C.tasklist_options_set_json(o.ptr, js, &cerr); status != C.TASKLIST_OK {
		return takeError(status, cerr)
	}
	return nil
}

// settingsOf maps opts onto the keys of tasklist_options_describe. Zero
// values are left out, so the library keeps its defaults.
func settingsOf(opts *Options) (map[string]any, error) {
	s := map[string]any{"base_url": opts.BaseURL}
	if err := authSettings(opts, s); err != nil {
		return nil, err
	}
	if opts.ConnectTimeout != 0 {
		s["connect_timeout_ms"] = millis(opts.ConnectTimeout)
	}
	if opts.RequestTimeout != 0 {
		s["request_timeout_ms"] = millis(opts.RequestTimeout)
	}
	if opts.MaxRetries != nil {
		s["max_retries"] = *opts.MaxRetries
	}
	if opts.MaxResponseBytes != 0 {
		s["max_response_bytes"] = opts.MaxResponseBytes
	}
	if opts.CAFile != "" {
		s["ca_file"] = opts.CAFile
	}
	if opts.CAPEM != "" {
		s["ca_pem"] = opts.CAPEM
	}
	switch cert, files := opts.ClientCertificate, opts.ClientCertificateFiles; {
	case cert != nil && files != nil:
		return nil, usageError("set only one of Options.ClientCertificate and Options.ClientCertificateFiles")
	case cert != nil:
		// The library takes a value without a PEM marker for a file path;
		// text given as text must not become one.
		for _, part := range [...]struct{ field, text string }{{"Chain", cert.Chain}, {"Key", cert.Key}} {
			if !strings.Contains(part.text, "-----BEGIN") {
				return nil, usageError("Options.ClientCertificate.%s holds no PEM text (-----BEGIN ...); give files in Options.ClientCertificateFiles", part.field)
			}
		}
		s["client_certificate"], s["client_key"] = cert.Chain, cert.Key
	case files != nil:
		s["client_certificate"], s["client_key"] = files.ChainFile, files.KeyFile
	}
	if opts.Proxy != "" {
		s["proxy"] = opts.Proxy
	}
	if opts.ProxyFromEnv {
		s["proxy_from_env"] = true
	}
	if opts.TenantID != "" {
		s["tenant_id"] = opts.TenantID
	}
	return s, nil
}

// authSettings adds the chosen authentication method and its credentials.
func authSettings(opts *Options, s map[string]any) error {
	chosen := 0
	for _, set := range []bool{opts.OAuth != nil, opts.Cookie != nil, opts.Basic != nil, opts.BearerToken != ""} {
		if set {
			chosen++
		}
	}
	// The C API lets the last setter win; in a struct there is no order, so
	// two methods are a mistake worth reporting.
	if chosen > 1 {
		return usageError("set only one of Options.OAuth, Options.Cookie, Options.Basic and Options.BearerToken")
	}
	switch {
	case opts.OAuth != nil:
		a := opts.OAuth
		s["auth"] = "oauth"
		s["token_url"], s["client_id"], s["client_secret"] = a.TokenURL, a.ClientID, a.ClientSecret
		switch {
		case a.OmitAudience:
			s["audience"] = "" // send none
		case a.Audience != "":
			s["audience"] = a.Audience
		}
		if a.Scope != "" {
			s["scope"] = a.Scope
		}
		if a.BasicAuth {
			s["client_auth"] = "basic"
		}
		if a.JSONBody {
			s["token_format"] = "json"
		}
	case opts.Cookie != nil:
		s["auth"] = "cookie"
		s["username"], s["password"] = opts.Cookie.Username, opts.Cookie.Password
		if opts.Cookie.LoginPath != "" {
			s["login_path"] = opts.Cookie.LoginPath
		}
	case opts.Basic != nil:
		s["auth"] = "basic"
		s["username"], s["password"] = opts.Basic.Username, opts.Basic.Password
	case opts.BearerToken != "":
		s["auth"] = "bearer"
		s["bearer_token"] = opts.BearerToken
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

// millis converts a timeout to whole milliseconds, rounding away from zero:
// a positive duration below one millisecond becomes 1 ms rather than 0 (which
// the library refuses), a negative one stays negative (refused too, with the
// library's message).
func millis(d time.Duration) int64 {
	ms := int64(d / time.Millisecond) // truncated toward zero
	switch {
	case d%time.Millisecond > 0:
		ms++
	case d%time.Millisecond < 0:
		ms--
	}
	return ms
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
