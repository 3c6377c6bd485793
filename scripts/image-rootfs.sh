#!/usr/bin/env bash
# The base of Clearance's container image, built here rather than pulled (the image builds without a registry or a
# Docker daemon): a JRE made by jlink from the build's own JDK, plus the few system libraries it links against, a
# non-root user's entry, and the writable directories. Jib puts this under the application (bot-app pom, -Pimage).
#   scripts/image-rootfs.sh OUT_DIR [POLICY_FILE]
set -euo pipefail
out="${1:?usage: $0 OUT_DIR [POLICY_FILE]}"
policy="${2:-}"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
[ -x "$java_home/bin/jlink" ] || { echo "jlink not found in $java_home (a full JDK is needed to build the image)" >&2; exit 2; }
[ -d "$java_home/jmods" ] || { echo "$java_home/jmods is missing (Debian: apt-get install openjdk-17-jmods)" >&2; exit 2; }
rm -rf "$out"
mkdir -p "$out"
# What a Spring Boot web application with JDBC, JMX metrics and TLS clients uses.
modules=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,\
jdk.crypto.ec,jdk.crypto.cryptoki,jdk.httpserver,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs,\
jdk.localedata
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/opt/java"
# Debian's JDK points lib/security/cacerts at the system store; the image carries the certificates themselves.
if [ -L "$out/opt/java/lib/security/cacerts" ] || [ ! -s "$out/opt/java/lib/security/cacerts" ]; then
  cp --remove-destination "$(readlink -f "$java_home/lib/security/cacerts")" "$out/opt/java/lib/security/cacerts"
fi
# Headless: no windowing, fonts or splash screen (java.desktop is there for java.beans, which Spring uses).
rm -f "$out"/opt/java/lib/{libawt_xawt,libsplashscreen,libjawt,libfontmanager,liblcms,libjsound,libmlib_image}.so
# The shared libraries the JRE links against, from this machine, at the same paths.
find "$out/opt/java" -type f \( -name '*.so' -o -perm -u+x \) -print0 | xargs -0 ldd 2>/dev/null \
  | awk '/=> \// {print $3} /^\s*\/[^ ]+ \(/ {print $1}' | grep -v "^$out" | sort -u | while read -r lib; do
    mkdir -p "$out$(dirname "$lib")"
    cp -L "$lib" "$out$lib"
  done
loader=$(ldd "$out/opt/java/bin/java" | awk '/ld-linux/ {print $1}')
mkdir -p "$out$(dirname "$loader")"; cp -L "$loader" "$out$loader"
# DNS and users: the runtime mounts /etc/hosts and /etc/resolv.conf; these make names and the user resolvable.
mkdir -p "$out/etc" "$out/tmp" "$out/data"
printf 'root:x:0:0:root:/root:/sbin/nologin\nclearance:x:10001:0:Clearance:/data:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\n' > "$out/etc/group"
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
if [ -n "$policy" ]; then
  mkdir -p "$out/etc/clearance" && cp "$policy" "$out/etc/clearance/clearance.yml"
fi
echo "image root in $out: $(du -sh "$out" | cut -f1)"
