# frozen_string_literal: true
#
# The Vagrant grid's PKI, made on the machine that runs `vagrant`, with Ruby's standard openssl
# library (Vagrant ships Ruby; this machine may have no Node). It makes what `zinc tls ca create`
# and `zinc tls cert create` make (daemon/security/pki.ts), with the same extensions, so that
# zincd's checks (daemon/security/tls-files.ts, trust.ts) accept the files exactly as they accept
# zinc's own:
#
#   DOMAIN-ca.pem, DOMAIN-ca-key.pem   ECDSA P-256, self-signed, CN=zinc CA DOMAIN, O=DOMAIN;
#                                      basicConstraints critical CA:TRUE pathlen:0; keyUsage critical
#                                      keyCertSign, cRLSign; SAN URI zinc://DOMAIN; SKI. 1825 days.
#   DOMAIN-HOST.pem, DOMAIN-HOST-key.pem   ECDSA P-256, signed by DOMAIN's CA, CN=HOST, O=DOMAIN;
#                                      basicConstraints critical CA:FALSE; keyUsage critical
#                                      digitalSignature, keyAgreement; extendedKeyUsage serverAuth,
#                                      clientAuth; SAN URI zinc://DOMAIN/HOST and IP:each address;
#                                      SKI; AKI (keyid). 365 days, never past the CA's end.
#   bundle.pem                         every domain's CA certificate, in domain order.
#
# Keys are PKCS#8 PEM, mode 0600; certificates 0644; the directory 0700. Nothing that exists and is
# still right is made again: a CA is kept while its two files are there, and a host certificate while
# it is signed by its domain's current CA, names the same addresses and is valid for 30 more days.
# Delete the directory (or some of its files) to have them made again.
#
# Used by the Vagrantfile (require_relative "pki"). Also runnable, for tests and by hand:
#   ruby infra/vagrant/pki.rb DIR DOMAIN:HOST:IP[,IP...] ...
#   ruby infra/vagrant/pki.rb /tmp/pki d1:d1-h1:192.168.61.10,192.168.60.11 d2:d2-h1:192.168.62.10
require "fileutils"
require "ipaddr"
require "openssl"
require "securerandom"

module ZincPki
  CA_DAYS = 1825   # zinc tls ca create's default
  HOST_DAYS = 365  # zinc tls cert create's default
  RENEW_DAYS = 30  # a host certificate this close to its end is made again
  DAY = 86_400
  # Tolerates small clock differences between this machine and the VMs (as pki.ts does).
  BACKDATE = 5 * 60
  NAME_RE = /\A[A-Za-z0-9][A-Za-z0-9_-]{0,62}\z/.freeze

  module_function

  # The file names zinc tls uses (daemon/security/pki-files.ts), so that `zinc tls cert create
  # --ca-dir` can add hosts from these CAs.
  def ca_cert_file(dir, domain)
    File.join(dir, "#{domain}-ca.pem")
  end

  def ca_key_file(dir, domain)
    File.join(dir, "#{domain}-ca-key.pem")
  end

  def host_cert_file(dir, domain, host)
    File.join(dir, "#{domain}-#{host}.pem")
  end

  def host_key_file(dir, domain, host)
    File.join(dir, "#{domain}-#{host}-key.pem")
  end

  def bundle_file(dir)
    File.join(dir, "bundle.pem")
  end

  # Makes whatever is missing or stale in dir for hosts [{domain:, host:, ips: [...]}, ...];
  # returns the paths it wrote (empty when everything was already there). Holds a lock on
  # dir/.lock meanwhile, so that two vagrant processes do not both make a CA.
  def ensure(dir, hosts, now: Time.now)
    hosts.each do |h|
      raise ArgumentError, "bad domain #{h[:domain].inspect}" unless NAME_RE.match?(h[:domain].to_s)
      raise ArgumentError, "bad host #{h[:host].inspect}" unless NAME_RE.match?(h[:host].to_s)
      h[:ips].each { |ip| IPAddr.new(ip) }
    end
    FileUtils.mkdir_p(dir, mode: 0o700)
    File.chmod(0o700, dir)
    written = []
    File.open(File.join(dir, ".lock"), File::RDWR | File::CREAT, 0o600) do |lock|
      lock.flock(File::LOCK_EX)
      domains = hosts.map { |h| h[:domain] }.uniq
      cas = domains.to_h { |d| [d, ensure_ca(dir, d, now, written)] }
      bundle = domains.map { |d| cas[d][0].to_pem }.join
      written << write_file(bundle_file(dir), bundle, 0o644) unless read_or_nil(bundle_file(dir)) == bundle
      hosts.each { |h| ensure_host(dir, h, cas[h[:domain]], now, written) }
    end
    written
  end

  def ensure_ca(dir, domain, now, written)
    cert_pem = read_or_nil(ca_cert_file(dir, domain))
    key_pem = read_or_nil(ca_key_file(dir, domain))
    if cert_pem && key_pem
      cert = OpenSSL::X509::Certificate.new(cert_pem)
      key = OpenSSL::PKey.read(key_pem)
      return [cert, key] if cert.check_private_key(key) && cert.not_after > now
    end
    key = new_key
    name = x509_name([["CN", "zinc CA #{domain}"], ["O", domain]])
    cert = new_cert(name, name, key, now, now + CA_DAYS * DAY)
    ef = extension_factory(cert, cert)
    cert.add_extension(ef.create_extension("basicConstraints", "CA:TRUE,pathlen:0", true))
    cert.add_extension(ef.create_extension("keyUsage", "keyCertSign,cRLSign", true))
    cert.add_extension(ef.create_extension("subjectAltName", "URI:zinc://#{domain}", false))
    cert.add_extension(ef.create_extension("subjectKeyIdentifier", "hash", false))
    cert.sign(key, OpenSSL::Digest.new("SHA256"))
    # The key first: a certificate without its key would be kept, and useless.
    written << write_file(ca_key_file(dir, domain), private_pem(key), 0o600)
    written << write_file(ca_cert_file(dir, domain), cert.to_pem, 0o644)
    [cert, key]
  end

  def ensure_host(dir, h, ca, now, written)
    ca_cert, ca_key = ca
    domain, host, ips = h[:domain], h[:host], h[:ips]
    cert_file = host_cert_file(dir, domain, host)
    key_file = host_key_file(dir, domain, host)
    return if host_current?(read_or_nil(cert_file), read_or_nil(key_file), ca_cert, ips, now)

    key = new_key
    not_after = [now + HOST_DAYS * DAY, ca_cert.not_after].min
    cert = new_cert(x509_name([["CN", host], ["O", domain]]), ca_cert.subject, key, now, not_after)
    ef = extension_factory(cert, ca_cert)
    san = ["URI:zinc://#{domain}/#{host}", *ips.map { |ip| "IP:#{ip}" }].join(",")
    cert.add_extension(ef.create_extension("basicConstraints", "CA:FALSE", true))
    cert.add_extension(ef.create_extension("keyUsage", "digitalSignature,keyAgreement", true))
    cert.add_extension(ef.create_extension("extendedKeyUsage", "serverAuth,clientAuth", false))
    cert.add_extension(ef.create_extension("subjectAltName", san, false))
    cert.add_extension(ef.create_extension("subjectKeyIdentifier", "hash", false))
    cert.add_extension(ef.create_extension("authorityKeyIdentifier", "keyid:always", false))
    cert.sign(ca_key, OpenSSL::Digest.new("SHA256"))
    written << write_file(key_file, private_pem(key), 0o600)
    written << write_file(cert_file, cert.to_pem, 0o644)
  end

  # Is this host certificate still right: signed by the current CA, for this key, with exactly
  # these addresses, and good for RENEW_DAYS more?
  def host_current?(cert_pem, key_pem, ca_cert, ips, now)
    return false unless cert_pem && key_pem

    cert = OpenSSL::X509::Certificate.new(cert_pem)
    key = OpenSSL::PKey.read(key_pem)
    return false unless cert.issuer.to_der == ca_cert.subject.to_der && cert.verify(ca_cert.public_key)
    return false unless cert.check_private_key(key) && cert.not_after > now + RENEW_DAYS * DAY

    san = cert.extensions.find { |e| e.oid == "subjectAltName" }&.value.to_s
    have = san.split(", ").select { |s| s.start_with?("IP Address:") }.map { |s| s.delete_prefix("IP Address:") }
    have.map { |ip| IPAddr.new(ip) }.sort == ips.map { |ip| IPAddr.new(ip) }.sort
  rescue OpenSSL::OpenSSLError, ArgumentError
    false
  end

  def new_key
    OpenSSL::PKey::EC.generate("prime256v1")
  end

  # PKCS#8 ("BEGIN PRIVATE KEY"), as zinc tls writes; openssl gems before 3.0 (Vagrant 2.2's Ruby)
  # only have SEC1 ("BEGIN EC PRIVATE KEY"), which zincd reads as well.
  def private_pem(key)
    key.respond_to?(:private_to_pem) ? key.private_to_pem : key.to_pem
  end

  # PrintableString where the value allows it (as @peculiar/x509 encodes zinc tls's names), else
  # UTF8String (a name with "_").
  def x509_name(parts)
    OpenSSL::X509::Name.new(parts.map do |k, v|
      [k, v, %r{\A[A-Za-z0-9 '()+,./:=?-]*\z}.match?(v) ? OpenSSL::ASN1::PRINTABLESTRING : OpenSSL::ASN1::UTF8STRING]
    end)
  end

  def new_cert(subject, issuer, key, now, not_after)
    cert = OpenSSL::X509::Certificate.new
    cert.version = 2 # X.509 v3
    # A positive 16-byte serial, as pki.ts makes: the top bit cleared so DER does not read it as
    # negative.
    bytes = SecureRandom.random_bytes(16).bytes
    bytes[0] &= 0x7f
    cert.serial = OpenSSL::BN.new(bytes.pack("C*"), 2)
    cert.subject = subject
    cert.issuer = issuer
    cert.public_key = key
    cert.not_before = now - BACKDATE
    cert.not_after = not_after
    cert
  end

  def extension_factory(subject_cert, issuer_cert)
    ef = OpenSSL::X509::ExtensionFactory.new
    ef.subject_certificate = subject_cert
    ef.issuer_certificate = issuer_cert
    ef
  end

  def read_or_nil(path)
    File.read(path)
  rescue Errno::ENOENT
    nil
  end

  # Writes through a temporary file created with the final mode, then renames: a reader never sees
  # half a file, and a key is never readable by others, not even for a moment.
  def write_file(path, content, mode)
    tmp = "#{path}.tmp#{Process.pid}"
    File.open(tmp, File::WRONLY | File::CREAT | File::TRUNC | File::EXCL, mode) { |f| f.write(content) }
    File.chmod(mode, tmp)
    File.rename(tmp, path)
    path
  ensure
    File.unlink(tmp) if tmp && File.exist?(tmp)
  end
end

if $PROGRAM_NAME == __FILE__
  dir, *specs = ARGV
  if dir.nil? || specs.empty?
    warn "usage: ruby pki.rb DIR DOMAIN:HOST:IP[,IP...] ..."
    exit 2
  end
  hosts = specs.map do |s|
    domain, host, ips = s.split(":", 3)
    { domain: domain, host: host, ips: ips.to_s.split(",") }
  end
  begin
    ZincPki.ensure(dir, hosts).each { |f| puts f }
  rescue ArgumentError, SystemCallError, OpenSSL::OpenSSLError => e
    warn "pki.rb: #{e.message}"
    exit 1
  end
end
