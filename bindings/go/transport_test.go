package tasklist_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tasklist "github.com/libtasklist/libtasklist/bindings/go"
)

// selfSigned returns a new self-signed certificate and its PKCS#8 key, as
// PEM text.
func selfSigned(t *testing.T) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "libtasklist go test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
}

type setting struct {
	Value  any    `json:"value"`
	Source string `json:"source"`
}

func describeOptions(t *testing.T, opts tasklist.Options) (map[string]setting, string) {
	t.Helper()
	raw, err := tasklist.DescribeOptions(opts)
	if err != nil {
		t.Fatalf("DescribeOptions: %v", err)
	}
	var out map[string]setting
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("DescribeOptions gave %s: %v", raw, err)
	}
	return out, string(raw)
}

func expect(t *testing.T, d map[string]setting, key string, value any, source string) {
	t.Helper()
	got, ok := d[key]
	if !ok {
		t.Errorf("no %q in the description", key)
		return
	}
	if got.Value != value || got.Source != source {
		t.Errorf("%s = %v (%s), want %v (%s)", key, got.Value, got.Source, value, source)
	}
}

func TestDescribeOptionsRedactsSecrets(t *testing.T) {
	t.Parallel()
	cert, key := selfSigned(t)
	const secret = "0auth-s3cret-go-test"
	const proxyPassword = "pr0xy-pass-go-test"
	opts := oauthOptions("http://tasklist.example:8080")
	opts.OAuth.ClientSecret = secret
	opts.CAPEM = cert
	opts.ClientCertificate = &tasklist.ClientCertificate{Chain: cert, Key: key}
	opts.Proxy = "http://me:" + proxyPassword + "@proxy.example:3128"
	opts.MaxRetries = tasklist.Retries(5)
	d, text := describeOptions(t, opts)
	for _, s := range []string{secret, proxyPassword, strings.Split(key, "\n")[1]} {
		if strings.Contains(text, s) {
			t.Errorf("the description holds the secret %q: %s", s, text)
		}
	}
	expect(t, d, "base_url", "http://tasklist.example:8080", "set")
	expect(t, d, "auth", "oauth", "set")
	expect(t, d, "client_id", "tasklist-client", "set")
	expect(t, d, "client_secret", "***", "set")
	expect(t, d, "audience", "tasklist.camunda.io", "default")
	expect(t, d, "max_retries", float64(5), "set")
	expect(t, d, "request_timeout_ms", float64(60000), "default")
	expect(t, d, "ca_pem", "1 PEM certificate(s)", "set")
	expect(t, d, "client_certificate", "PEM text", "set")
	expect(t, d, "client_key", "***", "set")
	expect(t, d, "proxy", "http://***@proxy.example:3128", "set")
	expect(t, d, "proxy_from_env", false, "default")

	const password = "c00kie-pass-go-test"
	d, text = describeOptions(t, tasklist.Options{
		BaseURL:                "http://tasklist.example:8080",
		Cookie:                 &tasklist.Cookie{Username: "demo", Password: password, LoginPath: "/login"},
		ClientCertificateFiles: &tasklist.ClientCertificateFiles{ChainFile: "/etc/tls/client.pem", KeyFile: "/etc/tls/client.key"},
		ProxyFromEnv:           true,
	})
	if strings.Contains(text, password) {
		t.Errorf("the description holds the password: %s", text)
	}
	expect(t, d, "auth", "cookie", "set")
	expect(t, d, "password", "***", "set")
	expect(t, d, "login_path", "/login", "set")
	expect(t, d, "client_certificate", "/etc/tls/client.pem", "set")
	expect(t, d, "client_key", "/etc/tls/client.key", "set") // a path is no secret
	expect(t, d, "proxy", nil, "default")
	expect(t, d, "proxy_from_env", true, "set")

	d, text = describeOptions(t, tasklist.Options{BaseURL: "http://tasklist.example:8080", BearerToken: "b3arer-go-test"})
	if strings.Contains(text, "b3arer-go-test") {
		t.Errorf("the description holds the bearer token: %s", text)
	}
	expect(t, d, "bearer_token", "***", "set")

	if _, err := tasklist.DescribeOptions(tasklist.Options{}); !errors.Is(err, tasklist.ErrInvalidArgument) {
		t.Errorf("DescribeOptions without a base URL: got %v, want ErrInvalidArgument", err)
	}
}

func TestBasicAuthAndTenantAreOptionsLikeTheOthers(t *testing.T) {
	t.Parallel()
	const password = "b4sic-pass-go-test"
	d, text := describeOptions(t, tasklist.Options{
		BaseURL:  "http://cluster.example:8080",
		Basic:    &tasklist.Basic{Username: "demo", Password: password},
		TenantID: "team-a",
	})
	if strings.Contains(text, password) {
		t.Errorf("the description holds the password: %s", text)
	}
	expect(t, d, "auth", "basic", "set")
	expect(t, d, "username", "demo", "set")
	expect(t, d, "password", "***", "set")
	expect(t, d, "tenant_id", "team-a", "set")
	_, err := tasklist.DescribeOptions(tasklist.Options{
		BaseURL: "http://cluster.example:8080",
		Basic:   &tasklist.Basic{Username: "demo"},
		Cookie:  &tasklist.Cookie{Username: "demo"},
	})
	if !errors.Is(err, tasklist.ErrInvalidArgument) {
		t.Errorf("Basic and Cookie together: got %v, want ErrInvalidArgument", err)
	}
}

func TestDescribeEnvNamesVariables(t *testing.T) {
	// t.Setenv: not parallel.
	const secret = "env-s3cret-go-test"
	t.Setenv("CAMUNDA_TASKLIST_BASE_URL", "http://tasklist.example:8080")
	t.Setenv("CAMUNDA_OAUTH_URL", "http://tasklist.example:8080/oauth/token")
	t.Setenv("CAMUNDA_CLIENT_ID", "tasklist-client")
	t.Setenv("CAMUNDA_CLIENT_SECRET", secret)
	raw, err := tasklist.DescribeEnv()
	if err != nil {
		t.Fatalf("DescribeEnv: %v", err)
	}
	if strings.Contains(string(raw), secret) {
		t.Errorf("the description holds the secret: %s", raw)
	}
	var d map[string]setting
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	expect(t, d, "base_url", "http://tasklist.example:8080", "CAMUNDA_TASKLIST_BASE_URL")
	expect(t, d, "client_secret", "***", "CAMUNDA_CLIENT_SECRET")
	expect(t, d, "max_retries", float64(2), "default")
}

func TestTLSOptions(t *testing.T) {
	t.Parallel()
	cert, key := selfSigned(t)
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "client.pem"), filepath.Join(dir, "client.key")
	if err := os.WriteFile(certFile, []byte(cert), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, []byte(key), 0o600); err != nil {
		t.Fatal(err)
	}

	// Accepted, and plain http still works (TLS material is unused there).
	good := map[string]tasklist.Options{
		"CA PEM":            {BaseURL: sharedURL, CAPEM: cert},
		"client cert PEM":   {BaseURL: sharedURL, ClientCertificate: &tasklist.ClientCertificate{Chain: cert, Key: key}},
		"client cert files": {BaseURL: sharedURL, ClientCertificateFiles: &tasklist.ClientCertificateFiles{ChainFile: certFile, KeyFile: keyFile}},
	}
	for name, opts := range good {
		opts.BearerToken = fetchToken(t, sharedURL)
		c, err := tasklist.New(opts)
		if err != nil {
			t.Errorf("%s: New: %v", name, err)
			continue
		}
		if _, err := c.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
			t.Errorf("%s: SearchTasks: %v", name, err)
		}
		c.Close()
	}

	bad := map[string]tasklist.Options{
		"garbage CA PEM":          {BaseURL: sharedURL, CAPEM: "garbage"},
		"garbage client cert":     {BaseURL: sharedURL, ClientCertificate: &tasklist.ClientCertificate{Chain: "garbage", Key: "garbage"}},
		"garbage client key":      {BaseURL: sharedURL, ClientCertificate: &tasklist.ClientCertificate{Chain: cert, Key: "garbage"}},
		"key in place of cert":    {BaseURL: sharedURL, ClientCertificate: &tasklist.ClientCertificate{Chain: key, Key: key}},
		"empty client cert":       {BaseURL: sharedURL, ClientCertificate: &tasklist.ClientCertificate{}},
		"empty cert file names":   {BaseURL: sharedURL, ClientCertificateFiles: &tasklist.ClientCertificateFiles{}},
		"missing cert files":      {BaseURL: sharedURL, ClientCertificateFiles: &tasklist.ClientCertificateFiles{ChainFile: filepath.Join(dir, "none.pem"), KeyFile: keyFile}},
		"cert text and files":     {BaseURL: sharedURL, ClientCertificate: &tasklist.ClientCertificate{Chain: cert, Key: key}, ClientCertificateFiles: &tasklist.ClientCertificateFiles{ChainFile: certFile, KeyFile: keyFile}},
		"NUL in key":              {BaseURL: sharedURL, ClientCertificate: &tasklist.ClientCertificate{Chain: cert, Key: key + "\x00"}},
		"proxy with bad scheme":   {BaseURL: sharedURL, Proxy: "ftp://proxy.example:21"},
		"proxy with a path":       {BaseURL: sharedURL, Proxy: "http://proxy.example:3128/path"},
		"proxy that is no URL":    {BaseURL: sharedURL, Proxy: "http://"},
		"proxy password in error": {BaseURL: sharedURL, Proxy: "ftp://me:pr0xy-pass@proxy.example:21"},
	}
	for name, opts := range bad {
		c, err := tasklist.New(opts)
		if !errors.Is(err, tasklist.ErrInvalidArgument) {
			t.Errorf("%s: got %v, want ErrInvalidArgument", name, err)
			if c != nil {
				c.Close()
			}
			continue
		}
		if strings.Contains(err.Error(), "pr0xy-pass") || strings.Contains(err.Error(), "PRIVATE KEY") {
			t.Errorf("%s: the error shows a secret: %v", name, err)
		}
	}
}

// forwardProxy is a minimal HTTP proxy that counts what it forwards: CONNECT
// tunnels (which the library uses even for http targets) and absolute-URI
// requests.
func forwardProxy(t *testing.T) (string, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	transport := &http.Transport{Proxy: nil} // never itself proxied
	t.Cleanup(transport.CloseIdleConnections)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodConnect {
			hits.Add(1)
			tunnel(w, r)
			return
		}
		if !r.URL.IsAbs() {
			http.Error(w, "not a proxy request", http.StatusBadRequest)
			return
		}
		hits.Add(1)
		out := r.Clone(r.Context())
		out.RequestURI = ""
		out.Header.Del("Proxy-Connection")
		out.Header.Del("Proxy-Authorization")
		resp, err := transport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, vs := range resp.Header {
			for _, v := range vs {
				w.Header().Add(k, v)
			}
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// tunnel answers a CONNECT and copies bytes both ways until either side
// closes.
func tunnel(w http.ResponseWriter, r *http.Request) {
	upstream, err := net.DialTimeout("tcp", r.Host, 5*time.Second)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	client, buffered, err := http.NewResponseController(w).Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	client.Write([]byte("HTTP/1.1 200 Connection established\r\n\r\n"))
	done := make(chan struct{}, 2)
	go func() { io.Copy(upstream, buffered); done <- struct{}{} }()
	go func() { io.Copy(client, upstream); done <- struct{}{} }()
	<-done
	client.Close()
	upstream.Close()
	<-done
}

func TestProxy(t *testing.T) {
	t.Parallel()
	proxyURL, hits := forwardProxy(t)
	opts := oauthOptions(sharedURL)
	opts.Proxy = proxyURL
	c := newClient(t, opts)
	if _, err := c.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
		t.Fatalf("SearchTasks through the proxy: %v", err)
	}
	// The token fetch and the search, in one or two tunnels.
	if n := hits.Load(); n < 1 || n > 2 {
		t.Errorf("the proxy forwarded %d requests or tunnels, want 1 or 2", n)
	}
}

func TestProxyFromEnv(t *testing.T) {
	// t.Setenv: not parallel.
	proxyURL, hits := forwardProxy(t)
	t.Setenv("http_proxy", proxyURL)
	t.Setenv("HTTP_PROXY", proxyURL)
	t.Setenv("all_proxy", "")
	t.Setenv("ALL_PROXY", "")
	t.Setenv("no_proxy", "")
	t.Setenv("NO_PROXY", "")
	token := fetchToken(t, sharedURL)

	direct := newClient(t, tasklist.Options{BaseURL: sharedURL, BearerToken: token})
	if _, err := direct.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
		t.Fatalf("SearchTasks: %v", err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("without ProxyFromEnv the proxy still saw %d requests", n)
	}

	viaEnv := newClient(t, tasklist.Options{BaseURL: sharedURL, BearerToken: token, ProxyFromEnv: true})
	if _, err := viaEnv.SearchTasks(ctx(), json.RawMessage(`{"pageSize":1}`)); err != nil {
		t.Fatalf("SearchTasks through the proxy from the environment: %v", err)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("with ProxyFromEnv the proxy saw %d requests or tunnels, want 1", n)
	}

	t.Setenv("http_proxy", "ftp://proxy.example:21")
	if c, err := tasklist.New(tasklist.Options{BaseURL: sharedURL, ProxyFromEnv: true}); !errors.Is(err, tasklist.ErrInvalidArgument) {
		t.Errorf("unusable http_proxy: got %v, want ErrInvalidArgument", err)
		if c != nil {
			c.Close()
		}
	}
}
