#!/usr/bin/env bash
# Sourced by ./kiln, ./mvnw, scripts/test and bench scripts (so POSIX sh, as ./mvnw is): exports
# JAVA_HOME pointing at a JDK that can build and run Kiln (Java 25 or newer; FFM is final since 22 and Kiln's sources use release 25).
# Order: $JAVA_HOME if it is new enough, else the newest suitable JDK under /usr/lib/jvm or
# /opt, else a message that says what to install, and a non-zero status.

kiln_java_feature() {  # prints the feature release of the JDK at $1, or nothing
  [ -x "$1/bin/javac" ] || return 0
  # A JDK's release file names its version (JEP 220: JAVA_VERSION="25.0.3"); reading it costs one
  # sed, where asking the JDK itself starts a JVM per candidate (~0.1 s each, on every ./kiln).
  if [ -r "$1/release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" | head -n 1
    return 0
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

kiln_select_jdk() {
  local min=25 candidate feature best="" best_feature=0
  if [ -n "${JAVA_HOME:-}" ]; then
    feature=$(kiln_java_feature "$JAVA_HOME")
    if [ -n "$feature" ] && [ "$feature" -ge "$min" ]; then
      export JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
    [ -d "$candidate" ] || continue
    feature=$(kiln_java_feature "$candidate")
    if [ -n "$feature" ] && [ "$feature" -ge "$min" ] && [ "$feature" -gt "$best_feature" ]; then
      best=$candidate
      best_feature=$feature
    fi
  done
  if [ -z "$best" ]; then
    echo "kiln: no JDK $min or newer (JAVA_HOME=${JAVA_HOME:-unset}; searched /usr/lib/jvm, /opt): install one, e.g. 'apt-get install temurin-25-jdk', or set JAVA_HOME" >&2
    return 1
  fi
  export JAVA_HOME=$best
}

kiln_select_jdk
