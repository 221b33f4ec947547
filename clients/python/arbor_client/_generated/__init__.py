"""Stubs generated from schema/arbor.proto and schema/health.proto by regenerate.sh; do not edit."""
