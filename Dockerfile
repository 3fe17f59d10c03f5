# The portal as a small image; docker-compose.yml runs it with PostgreSQL.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/isms ./cmd/isms

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/isms /isms
ENV ISMS_ADDR=:8080
EXPOSE 8080
USER nonroot
ENTRYPOINT ["/isms"]
CMD ["serve"]
