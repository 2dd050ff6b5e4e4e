#!/usr/bin/env bash
# Sourced by ./kiln, ./mvnw, scripts/test and bench scripts (so POSIX sh, as ./mvnw is): exports
# JAVA_HOME pointing at a JDK that can build and run Kiln (Java 25 or newer; FFM is final since 22 and Kiln's sources use release 25).
# Order: $JAVA_HOME if it is new enough, else the newest suitable JDK under /usr/lib/jvm or
# /opt, else a message that says what to install, and a non-zero status.

kiln_java_feature() {  # sets kiln_feature to the feature release of the JDK at $1, or to nothing
  kiln_feature=""
  [ -x "$1/bin/javac" ] || return 0
  # A JDK's release file names its version (JEP 220: JAVA_VERSION="25.0.3"). The shell reads it
  # itself: ./kiln does this for every JDK on the machine on every start, and a process per JDK
  # (a sed, or worse the JDK's own java at ~0.1 s) cost 15-20 ms of the launcher's 20.
  if [ -r "$1/release" ]; then
    while IFS= read -r kiln_line || [ -n "$kiln_line" ]; do
      case $kiln_line in
        JAVA_VERSION=*)
          kiln_line=${kiln_line#JAVA_VERSION=\"}
          kiln_feature=${kiln_line%%[!0-9]*}
          return 0 ;;
      esac
    done <"$1/release"
    return 0
  fi
  kiln_feature=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
}

kiln_select_jdk() {
  local min=25 candidate feature best="" best_feature=0
  if [ -n "${JAVA_HOME:-}" ]; then
    kiln_java_feature "$JAVA_HOME"
    feature=$kiln_feature
    if [ -n "$feature" ] && [ "$feature" -ge "$min" ]; then
      export JAVA_HOME
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do
    [ -d "$candidate" ] || continue
    kiln_java_feature "$candidate"
    feature=$kiln_feature
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
