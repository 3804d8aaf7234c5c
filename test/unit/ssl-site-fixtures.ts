/**
 * Site files shaped like CATMAID's nginx documentation (sphinx-doc/source/nginx.rst): uWSGI at /catmaid/ over a
 * unix socket, static and files aliases, daphne's websockets at /catmaid/channels/ through an upstream block,
 * tiles, CORS snippet, and the @maintenance page for when uWSGI is down.
 */
export const NAME = 'catmaid.example.org';
export const ROOT = '/home/catmaid/catmaid-server';

export const DOCS_SITE = `upstream catmaid-asgi {
    server unix:/var/run/catmaid/daphne.sock;
}

server {
    listen 80;
    listen [::]:80;
    server_name ${NAME};

    location ~ /tiles/dataset/(.*)$ {
        try_files /data/dataset/tiles/$1 /data/dataset/tiles/black.jpg =404;
        expires max;
        add_header Cache-Control public;
        access_log off;
    }

    location /catmaid/static/ {
        alias ${ROOT}/django/static/;
    }
    location /catmaid/files/ {
        alias ${ROOT}/django/files/;
    }
    location /catmaid/channels/ {
        proxy_pass http://catmaid-asgi/channels/;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection "upgrade";

        proxy_redirect     off;
        proxy_set_header   Host $host;
        proxy_set_header   X-Real-IP $remote_addr;
        proxy_set_header   X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header   X-Forwarded-Host $server_name;
    }
    location /catmaid/ {
        error_page 502 503 504 @maintenance;

        # Use default uWSGI params and unix socket
        include uwsgi_params;
        uwsgi_pass unix:///var/run/catmaid/uwsgi.socket;

        expires 0;
        add_header Cache-Control no-cache;
        client_max_body_size 20m;
    }

    # Handle error pages
    location @maintenance {
        root /home/catmaid/public_html;
        rewrite ^(.*)$ /502.html break;
    }
}
`;

/** The same site after a first attempt at TLS by hand: port 443 with a forged-header hole and a redirect block. */
export const HALF_TLS_SITE = `server {
    listen 80;
    server_name ${NAME};
    return 301 https://$host$request_uri;
}

server {
    listen 443 ssl http2;
    server_name ${NAME};
    ssl_certificate /etc/ssl/old.pem;
    ssl_certificate_key /etc/ssl/old.key;
    include snippets/cors.conf;

    location /catmaid/static/ {
        alias ${ROOT}/django/static/;
    }
    location /catmaid/ {
        include uwsgi_params;
        uwsgi_param HTTP_X_FORWARDED_PROTO $http_x_forwarded_proto;
        uwsgi_pass unix:///var/run/catmaid/uwsgi.socket;
    }
}
`;
