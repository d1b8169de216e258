//! TLS settings of a client's agent: which certificate authorities are trusted, and which
//! certificate the client shows for mutual TLS.
//!
//! By default the Mozilla root program (webpki-root-certs, built in, the same on every host).
//! Extra CA certificates (a PEM file and/or PEM text) are trusted *in addition* to those
//! roots, and a server that presents one of them as its own certificate is trusted for its
//! names (`tls_connection.rs`). The client certificate, when set, is shown to Tasklist and to
//! the token endpoint alike (one agent).

use crate::config::{ClientCertificate, Config, Pem};
use crate::error::{Error, Result};
use crate::transport::tls_connection::TlsSettings;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use ureq::tls::{Certificate, PemItem, PrivateKey};

/// The TLS settings for a client built from `config`; reads the files it names.
pub(crate) fn tls_settings(config: &Config) -> Result<TlsSettings> {
    let mut extra = Vec::new();
    if let Some(path) = &config.ca_file {
        extra.extend(certificates_in(
            &read(path, "CA file")?,
            &format!("the CA file {}", path.display()),
        )?);
    }
    if let Some(pem) = &config.ca_pem {
        extra.extend(certificates_in(pem.as_bytes(), "the CA PEM text")?);
    }
    let der = |c: &Certificate<'static>| CertificateDer::from(c.der().to_vec());
    let pinned: Vec<CertificateDer<'static>> = extra.iter().map(der).collect();
    let roots = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .cloned()
        .chain(pinned.iter().cloned())
        .collect();
    let client_certificate = match &config.client_certificate {
        Some(certificate) => {
            let (chain, key) = load_client_certificate(certificate)?;
            Some((chain.iter().map(der).collect(), private_key_der(&key)?))
        }
        None => None,
    };
    Ok(TlsSettings {
        roots,
        pinned,
        client_certificate,
    })
}

/// The key in rustls's form (its DER says which kind it is).
fn private_key_der(key: &PrivateKey<'static>) -> Result<PrivateKeyDer<'static>> {
    PrivateKeyDer::try_from(key.der().to_vec())
        .map_err(|e| Error::invalid_argument(format!("the client private key is unusable: {e}")))
}

/// Every certificate in a PEM text; none at all is an error naming `what`.
pub(crate) fn certificates_in(pem: &[u8], what: &str) -> Result<Vec<Certificate<'static>>> {
    let mut certificates = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(PemItem::Certificate(c)) => certificates.push(c),
            Ok(_) => {}
            Err(_) => return Err(Error::invalid_argument(format!("{what} is not valid PEM"))),
        }
    }
    if certificates.is_empty() {
        return Err(Error::invalid_argument(format!(
            "{what} holds no PEM certificate"
        )));
    }
    Ok(certificates)
}

/// Checks PEM text given for a client certificate now, so the setter reports it.
pub(crate) fn check_client_certificate(certificate: &ClientCertificate) -> Result<()> {
    if let Pem::Text(chain) = &certificate.chain {
        certificates_in(chain.expose().as_bytes(), "the client certificate chain")?;
    }
    if let Pem::Text(key) = &certificate.key {
        private_key_in(key.expose().as_bytes(), "the client private key")?;
    }
    Ok(())
}

fn load_client_certificate(
    certificate: &ClientCertificate,
) -> Result<(Vec<Certificate<'static>>, PrivateKey<'static>)> {
    let chain = match &certificate.chain {
        Pem::File(path) => certificates_in(
            &read(path, "client certificate file")?,
            &format!("the client certificate file {}", path.display()),
        )?,
        Pem::Text(text) => {
            certificates_in(text.expose().as_bytes(), "the client certificate chain")?
        }
    };
    let key = match &certificate.key {
        Pem::File(path) => private_key_in(
            &read(path, "private key file")?,
            &format!("the private key file {}", path.display()),
        )?,
        Pem::Text(text) => private_key_in(text.expose().as_bytes(), "the client private key")?,
    };
    Ok((chain, key))
}

/// The first private key (PKCS#8, PKCS#1 or SEC1) in a PEM text. Encrypted keys are not
/// supported: the message says so instead of a vague parse error.
fn private_key_in(pem: &[u8], what: &str) -> Result<PrivateKey<'static>> {
    if pem
        .windows(b"ENCRYPTED PRIVATE KEY".len())
        .any(|w| w == b"ENCRYPTED PRIVATE KEY")
    {
        return Err(Error::invalid_argument(format!(
            "{what} is encrypted; give an unencrypted key"
        )));
    }
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(PemItem::PrivateKey(key)) => return Ok(key),
            Ok(_) => {}
            Err(_) => return Err(Error::invalid_argument(format!("{what} is not valid PEM"))),
        }
    }
    Err(Error::invalid_argument(format!(
        "{what} holds no PEM private key"
    )))
}

fn read(path: &std::path::Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| {
        Error::invalid_argument(format!("cannot read the {what} {}: {e}", path.display()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn pem_without_certificates_is_refused() {
        let e = certificates_in(b"hello", "the CA PEM text").unwrap_err();
        assert!(
            e.message().contains("no PEM certificate"),
            "{}",
            e.message()
        );
        let e = check_client_certificate(&ClientCertificate {
            chain: Pem::File("/nonexistent".into()),
            key: Pem::Text(Secret::new("-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n")),
        })
        .unwrap_err();
        assert!(e.message().contains("encrypted"), "{}", e.message());
    }

    #[test]
    fn the_mozilla_roots_are_there_to_add_to() {
        assert!(webpki_root_certs::TLS_SERVER_ROOT_CERTS.len() > 100);
    }
}
