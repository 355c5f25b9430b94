# Sourced by each walk-through block of the README: `. scripts/walkthrough.sh` from the project's folder,
# with `make run` up. It defines what the blocks use, whatever ran before them:
#   API    the local API (http://127.0.0.1:$API_PORT, 8000 unless make run was told otherwise; or set API)
#   J      the JSON content-type header
#   TOKEN  a customer (Zhang San); STAFF and H (its Authorization header) the front desk; ADMIN the owner
#   DAY    a working day a few days ahead with free time (Li Na's third bookable date)
API=${API:-http://127.0.0.1:${API_PORT:-8000}}
J='Content-Type: application/json'
_sign_in() {
  curl -s -XPOST "$API/auth/dev-login" -H "$J" -d "{\"role\": \"$1\", \"name\": \"$2\"}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
TOKEN=$(_sign_in customer "Zhang San")
STAFF=$(_sign_in staff "Front Desk")
ADMIN=$(_sign_in admin "Owner")
H="Authorization: Bearer $STAFF"
DAY=$(curl -s "$API/appointments/availability/dates?serviceId=svc-cut&staffId=staff-li&days=30" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["dates"][2]["date"])')
