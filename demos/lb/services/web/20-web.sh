#!/bin/bash
# The page: the instance's name, so that a client sees which instance answered.
mkdir -p /var/www/web
printf '%s\n' "$INSTANCE" >/var/www/web/index.txt
