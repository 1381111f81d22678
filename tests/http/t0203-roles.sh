#!/usr/bin/env bash
# Every route of the billing pages × every role (and signed out): the
# status each must answer. POSTs carry the user's own valid CSRF token, so
# a 403 is the role's doing, not the token's.
set -euo pipefail
. "$(dirname "$0")/../lib.sh"
stack_start

for u in owner billing accountant member; do
	is "$(login "$u@demo.test")" 303 "$u signs in"
done

# route | owner billing accountant member anonymous
matrix=(
	"GET /billing|200 200 200 403 303"
	"GET /billing/details|200 200 200 403 303"
	"POST /billing/details|422 422 403 403 403"
	"GET /billing/payment-methods|200 200 200 403 303"
	"POST /billing/payment-methods|422 422 403 403 403"
	"POST /billing/payment-methods/default|404 404 403 403 403"
	"POST /billing/payment-methods/remove|404 404 403 403 403"
	"GET /billing/audit|200 403 403 403 303"
	"POST /logout|303 303 303 303 403"
	"GET /logout|405 405 405 405 405"
	"DELETE /billing/details|405 405 405 405 405"
)

token_of()	# USER: the CSRF token of the user's session
{
	csrf_of "$BASE/billing/details" "$(jar_of "$1@demo.test")"
}
declare -A tok
tok[owner]=$(token_of owner)
tok[billing]=$(token_of billing)
tok[accountant]=$(token_of accountant)
# A member has no billing page: take the token from the 403 page's form.
tok[member]=$(token_of member)

for row in "${matrix[@]}"; do
	route=${row%%|*}
	read -r -a want <<<"${row#*|}"
	m=${route%% *}
	path=${route#* }
	i=0
	for u in owner billing accountant member anonymous; do
		args=()
		if [ "$u" != anonymous ]; then
			args+=(-b "$(jar_of "$u@demo.test")")
		fi
		if [ "$m" = POST ] && [ "$path" != /logout ]; then
			args+=(--data-urlencode "csrf=${tok[$u]:-}"
			    --data-urlencode "form_token=$(printf '%064d' $i)"
			    --data-urlencode "payment_method_id=999999")
		elif [ "$m" = POST ]; then
			args+=(--data-urlencode "csrf=${tok[$u]:-}")
		fi
		is "$(http_status "$m" "$BASE$path" "${args[@]}")" "${want[$i]}" \
		    "$route as $u: ${want[$i]}"
		i=$((i + 1))
	done
done

done_testing
